/**
 * A stream shared by log lines and one live line (progress) redrawn in place at its bottom. On a
 * terminal a log line first clears the live line, then the live line is drawn again below it, so the
 * two never run together; elsewhere (CI logs) the live line is printed as a line of its own each time.
 */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width: a live line longer than this would wrap and could no longer be redrawn. */
  columns?: number;
}

const CLEAR = '\r\x1b[K';

export class LiveLine {
  #shown = '';

  constructor(private readonly out: Output) {}

  /** True on a terminal, where the live line is redrawn in place. */
  get inPlace(): boolean {
    return this.out.isTTY === true;
  }

  /** Whole lines (ending in "\n"), written above the live line. */
  print(text: string): void {
    this.out.write(this.#shown ? `${CLEAR}${text}${this.#shown}` : text);
  }

  /**
   * Replaces the live line on a terminal; elsewhere prints it as a line. On a terminal too narrow
   * for `line`, `shorter` is shown instead (what matters first), cut to the width if it still is
   * too long.
   */
  show(line: string, shorter = line): void {
    if (!this.inPlace) {
      this.out.write(`${line}\n`);
      return;
    }
    const width = this.out.columns;
    const fits = (text: string) => !width || text.length < width;
    const chosen = fits(line) ? line : shorter;
    this.#shown = fits(chosen) ? chosen : `${chosen.slice(0, (width as number) - 2)}…`;
    this.out.write(`${CLEAR}${this.#shown}`);
  }

  /** Removes the live line (progress over). */
  clear(): void {
    if (!this.#shown) return;
    this.#shown = '';
    this.out.write(CLEAR);
  }
}

/** The process's stderr: loggers and the progress display share it through this one instance. */
export const stderrLine = new LiveLine(process.stderr);
