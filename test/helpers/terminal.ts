/**
 * A fake output stream for specs of what the console shows: it records every write and renders them
 * the way a terminal would ("\r" to the line start, ESC[K clears to its end, "\n" a new line), so a
 * spec can assert on the screen a user sees rather than on escape codes.
 */
export class FakeTerminal {
  readonly writes: string[] = [];

  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}

  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }

  /** Every line on the screen, the one the cursor is on last (also when empty). */
  screen(): string[] {
    const lines = [''];
    let col = 0;
    const text = this.writes.join('');
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      const row = lines.length - 1;
      if (text.startsWith('\x1b[K', i)) {
        lines[row] = (lines[row] as string).slice(0, col);
        i += 2;
      } else if (ch === '\r') col = 0;
      else if (ch === '\n') {
        lines.push('');
        col = 0;
      } else {
        const line = (lines[row] as string).padEnd(col);
        lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
        col++;
      }
    }
    return lines;
  }
}
