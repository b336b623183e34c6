/**
 * One direction of one proxied connection: bytes read from `source` run through the chain of toxic
 * stubs of that direction and are written to `dest` (Toxiproxy's ToxicLink). With no toxics, bytes go
 * straight from source to dest. Toxics can be added, updated and removed while data flows; nothing
 * is reordered, duplicated or lost by that.
 */
import type { Socket } from 'node:net';
import type { Random } from '../core/random.ts';
import type { Direction, Toxic } from './toxic.ts';
import { passThrough } from './toxics/noop.ts';
import { isEnd, now, type StreamEvent, ToxicStub } from './toxics/stub.ts';

/** Bytes held inside the link (queued in toxics + unsent to dest) before we stop reading the source. */
const HIGH_WATER = 4 * 1024 * 1024;

export class Link {
  private readonly stubs: ToxicStub[] = [];
  private readonly toxics: Toxic[] = [];
  private inputDone = false;
  private finished = false;

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly random: Random,
  ) {}

  start(chain: readonly Toxic[]): void {
    for (const toxic of chain) this.append(toxic);
    this.source.on('data', (data: Buffer) => this.onData(data));
    const endInput = () => this.endInput();
    this.source.once('end', endInput);
    this.source.once('close', endInput);
    this.dest.on('drain', () => this.flow());
    this.dest.once('close', () => this.finish());
  }

  async addToxic(toxic: Toxic): Promise<void> {
    if (this.finished) return;
    this.append(toxic);
  }

  async updateToxic(toxic: Toxic): Promise<void> {
    const stub = this.stubs[this.toxics.indexOf(toxic)];
    if (stub && (await stub.interrupt())) this.runStub(stub, toxic);
  }

  /** Removes a toxic; what it holds is released downstream at once, in order. */
  async removeToxic(toxic: Toxic): Promise<void> {
    const index = this.toxics.indexOf(toxic);
    const stub = this.stubs[index];
    if (!stub) return;
    if (await stub.interrupt()) toxic.kind.cleanup?.(stub);
    // Unhook first (synchronously with the flush) so later data bypasses the removed stub.
    const i = this.toxics.indexOf(toxic);
    this.toxics.splice(i, 1);
    this.stubs.splice(i, 1);
    const previous = this.stubs[i - 1];
    if (previous) previous.output = stub.output;
    if (!stub.isClosed) for (const event of stub.drain()) stub.output(event);
    this.flow();
  }

  private append(toxic: Toxic): void {
    const stub = new ToxicStub(this.writer, () => this.flow());
    if (toxic.kind.newState) stub.state = toxic.kind.newState();
    const last = this.stubs.at(-1);
    if (last) last.output = (event) => stub.push(event);
    this.stubs.push(stub);
    this.toxics.push(toxic);
    this.runStub(stub, toxic);
  }

  private runStub(stub: ToxicStub, toxic: Toxic): void {
    // Toxicity is rolled each time the toxic (re)starts on this connection, as in Toxiproxy.
    const affected = this.random() < toxic.toxicity;
    stub.run(affected ? (s) => toxic.kind.pipe(s, toxic.attributes, this.random) : passThrough);
  }

  private onData(data: Buffer): void {
    const first = this.stubs[0];
    if (first) first.push({ data, timestamp: now() });
    else this.dest.write(data);
    if (this.held() > HIGH_WATER) this.source.pause();
  }

  private endInput(): void {
    if (this.inputDone) return;
    this.inputDone = true;
    const end: StreamEvent = { end: 'eof' };
    const first = this.stubs[0];
    if (first) first.push(end);
    else this.writer(end);
  }

  /** The end of the chain: writes to dest; an end closes the whole connection, like Go's Close. */
  private readonly writer = (event: StreamEvent): void => {
    if (this.finished) return;
    if (!isEnd(event)) {
      this.dest.write(event.data);
      return;
    }
    if (event.end === 'reset') {
      resetSocket(this.dest);
      resetSocket(this.source);
    } else {
      this.dest.end(() => this.dest.destroy());
    }
    this.finish();
  };

  private held(): number {
    let bytes = this.dest.writableLength;
    for (const stub of this.stubs) bytes += stub.queuedBytes;
    return bytes;
  }

  private flow(): void {
    if (!this.finished && this.source.isPaused() && this.held() <= HIGH_WATER / 2) {
      this.source.resume();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const stub of this.stubs) stub.dispose();
  }
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // resetAndDestroy needs a connected TCP handle; otherwise a plain destroy is all we can do.
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
