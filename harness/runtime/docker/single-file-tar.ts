/**
 * A tar archive of one regular file (POSIX ustar), which is what the engine's archive API takes to put
 * a file into a container: enough for a static asset, no dependency for it.
 */
const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;

export function singleFileTar(name: string, content: Buffer, mode = 0o644): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name "${name}" is longer than 100 bytes`);
  const header = Buffer.alloc(BLOCK);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(mode, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(content.length, 12));
  field(header, 136, 12, octal(Math.floor(Date.now() / 1000), 12));
  field(header, 148, 8, ' '.repeat(8)); // counted as spaces while the checksum is summed
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK);
  return Buffer.concat([header, content, padding, Buffer.alloc(2 * BLOCK)]);
}
