import assert from 'node:assert/strict';
import { demux } from './docker-service.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("a container's logs", () => {
  it('are demultiplexed from docker frames, stdout and stderr in the order written', () => {
    const raw = Buffer.concat([frame(1, 'ready\n'), frame(2, 'warning: x\n'), frame(1, 'done\n')]);
    assert.equal(demux(raw), 'ready\nwarning: x\ndone\n');
  });

  it('ignore a truncated trailing frame header', () => {
    assert.equal(demux(Buffer.concat([frame(1, 'a\n'), Buffer.from([1, 0, 0])])), 'a\n');
  });
});
