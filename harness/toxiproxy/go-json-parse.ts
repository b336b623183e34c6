/**
 * Reads a request body the way Toxiproxy does, with Go's json.NewDecoder(body).Decode: only the first
 * JSON value counts (whatever follows it is never read), syntax errors carry Go's texts ("invalid
 * character 'x' after object key", "unexpected EOF", "EOF"), numbers keep their literal text so they
 * can be decoded into int64 exactly, and objects keep every member in order, duplicates included.
 */

/** A number as written, e.g. "9007199254740993" or "1.50". */
export class JsonNumber {
  constructor(readonly literal: string) {}
}

/** An object's members in document order; Go decodes each in turn, so a repeated key is decoded twice. */
export class JsonObject {
  constructor(readonly members: ReadonlyArray<readonly [string, JsonValue]>) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonObject | JsonValue[];

/** A body Go's decoder refuses; the message is Go's error text. */
export class JsonSyntaxError extends Error {}

/** encoding/json's maxNestingDepth. */
const MAX_DEPTH = 10000;

type Frame = { items: JsonValue[] } | { members: [string, JsonValue][]; key: string };

export function parseFirstValue(bytes: Uint8Array): JsonValue {
  return new Reader(bytes).read();
}

class Reader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(): JsonValue {
    this.skipSpace();
    if (this.pos >= this.bytes.length) throw new JsonSyntaxError('EOF');
    const stack: Frame[] = [];
    for (;;) {
      let value = this.beginValue(stack);
      if (value === undefined) continue; // a container opened: read its first element
      for (;;) {
        const top = stack.at(-1);
        if (!top) return value; // the first value is complete; the rest of the body is ignored
        if ('items' in top) top.items.push(value);
        else top.members.push([top.key, value]);
        this.skipSpace();
        const c = this.peek();
        this.pos++;
        if ('items' in top) {
          if (c === 0x2c) break; // ,
          if (c !== 0x5d) throw syntax(c, 'after array element');
          value = top.items;
        } else {
          if (c === 0x2c) {
            top.key = this.memberKey();
            break;
          }
          if (c !== 0x7d) throw syntax(c, 'after object key:value pair');
          value = new JsonObject(top.members);
        }
        stack.pop();
      }
    }
  }

  /** Reads a scalar, or an empty container; opens a non-empty one (pushed, undefined returned). */
  private beginValue(stack: Frame[]): JsonValue | undefined {
    this.skipSpace();
    const c = this.peek();
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_DEPTH) throw syntax(c, 'exceeded max depth');
      this.pos++;
      this.skipSpace();
      const next = this.peek();
      if (c === 0x5b) {
        if (next === 0x5d) return this.consume([]);
        stack.push({ items: [] });
        return undefined;
      }
      if (next === 0x7d) return this.consume(new JsonObject([]));
      stack.push({ members: [], key: this.firstKey() });
      return undefined;
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    throw syntax(c, 'looking for beginning of value');
  }

  private firstKey(): string {
    const c = this.peek();
    if (c !== 0x22) throw syntax(c, 'looking for beginning of object key string');
    return this.keyThenColon();
  }

  /** After a comma in an object: the next key and its colon. */
  private memberKey(): string {
    this.skipSpace();
    return this.firstKey();
  }

  private keyThenColon(): string {
    const key = this.string();
    this.skipSpace();
    const c = this.peek();
    if (c !== 0x3a) throw syntax(c, 'after object key');
    this.pos++;
    return key;
  }

  private string(): string {
    const { bytes } = this;
    this.pos++; // opening quote
    let text = '';
    let run = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === 0x22) break;
      if (c < 0x20) throw syntax(c, 'in string literal');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      text += utf8(bytes, run, this.pos);
      this.pos++;
      text += this.escape();
      run = this.pos;
    }
    text += utf8(bytes, run, this.pos);
    this.pos++;
    return text;
  }

  /** One escape after the backslash; \u escapes pair surrogates, a lone one becomes U+FFFD as in Go. */
  private escape(): string {
    const c = this.peek();
    this.pos++;
    const simple = SIMPLE_ESCAPES[String.fromCharCode(c)];
    if (simple !== undefined) return simple;
    if (c !== 0x75) throw syntax(c, 'in string escape code');
    const unit = this.hex4();
    if (unit < 0xd800 || unit > 0xdfff) return String.fromCharCode(unit);
    if (unit < 0xdc00 && this.bytes[this.pos] === 0x5c && this.bytes[this.pos + 1] === 0x75) {
      const save = this.pos;
      this.pos += 2;
      const low = this.hex4();
      if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(unit, low);
      this.pos = save; // not a pair: the second escape is read on its own
    }
    return '\ufffd';
  }

  private hex4(): number {
    let unit = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.peek();
      const digit = hexDigit(c);
      if (digit < 0) throw syntax(c, 'in \\u hexadecimal character escape');
      unit = unit * 16 + digit;
      this.pos++;
    }
    return unit;
  }

  private number(): JsonNumber {
    const start = this.pos;
    if (this.bytes[this.pos] === 0x2d) {
      this.pos++;
      if (!isDigit(this.peek())) throw syntax(this.peek(), 'in numeric literal');
    }
    if (this.bytes[this.pos] === 0x30) this.pos++;
    else this.digits();
    if (this.bytes[this.pos] === 0x2e) {
      this.pos++;
      if (!isDigit(this.peek())) throw syntax(this.peek(), 'after decimal point in numeric literal');
      this.digits();
    }
    const e = this.bytes[this.pos];
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (!isDigit(this.peek())) throw syntax(this.peek(), 'in exponent of numeric literal');
      this.digits();
    }
    return new JsonNumber(utf8(this.bytes, start, this.pos));
  }

  private digits(): void {
    while (isDigit(this.bytes[this.pos])) this.pos++;
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      const c = this.peek();
      if (c !== word.charCodeAt(i)) throw syntax(c, `in literal ${word} (expecting '${word[i]}')`);
    }
    this.pos++;
    return value;
  }

  private consume<T>(value: T): T {
    this.pos++;
    return value;
  }

  /** The byte at the cursor; running out inside a value is Go's "unexpected EOF". */
  private peek(): number {
    const c = this.bytes[this.pos];
    if (c === undefined) throw new JsonSyntaxError('unexpected EOF');
    return c;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.bytes[this.pos];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function utf8(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');
}

function syntax(c: number, context: string): JsonSyntaxError {
  return new JsonSyntaxError(`invalid character ${quoteByte(c)} ${context}`);
}

/** Go's quoteChar: the offending byte as a Go character literal, e.g. 'x', '\n', '\x01', 'é'. */
function quoteByte(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named: Record<number, string> = {
    7: 'a',
    8: 'b',
    9: 't',
    10: 'n',
    11: 'v',
    12: 'f',
    13: 'r',
    92: '\\',
  };
  const name = named[c];
  if (name !== undefined) return `'\\${name}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // A byte >= 0x80 is shown as the rune of that value; Go escapes the unprintable ones.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}
