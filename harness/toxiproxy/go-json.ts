/**
 * Decoding request bodies the way Go's encoding/json does for Toxiproxy's structs, so that clients see
 * the same acceptance rules and the same error texts: unknown keys are ignored, keys match
 * case-insensitively, `null` leaves a field unchanged, integers must be written as whole numbers
 * within int64 (so 1.5, 1e3 and 9223372036854775808 are refused, 9007199254740993 kept exactly),
 * float32 values must be within float32 range and are rounded to it.
 */
import { type ApiError, ApiErrors } from './api-error.ts';
import { JsonNumber, JsonObject, JsonSyntaxError, parseFirstValue } from './go-json-parse.ts';

export type GoScalar = 'string' | 'bool' | 'int64' | 'int' | 'float32';
export type GoType = GoScalar | GoStruct;

export interface GoStruct {
  /** The struct's name as Go prints it in field errors ("Proxy"; "" for an anonymous struct). */
  readonly name: string;
  /** The type as Go prints it in "Go value of type ..." errors ("toxiproxy.Proxy"). */
  readonly type: string;
  readonly fields: Readonly<Record<string, GoType>>;
  /** Field paths Go reports for fields promoted from an embedded struct, e.g. "Proxy.name". */
  readonly paths?: Readonly<Record<string, string>>;
}

export class GoJsonError extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses a request body like json.NewDecoder(body).Decode; failures read "bad request body: ...". */
export function parseBody(bytes: Uint8Array): unknown {
  try {
    return parseFirstValue(bytes);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw ApiErrors.badRequestBody.wrap(err.message);
    throw err;
  }
}

export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return 'number';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** An object's members in order: parsed bodies keep duplicates; plain objects (from code) work too. */
function membersOf(value: unknown): ReadonlyArray<readonly [string, unknown]> {
  return value instanceof JsonObject ? value.members : Object.entries(value as object);
}

/** Go matches a key to a field exactly first, then under Unicode simple folding (ſ is s, K is k). */
function fold(key: string): string {
  return key.toLowerCase().replace(/\u017f/g, 's');
}

/**
 * Decodes `value` into `target` (a struct already holding its defaults); nested structs decode into
 * the object already in their field, so a repeated key merges as in Go. The first error (in
 * document order) is thrown, with Go's text.
 */
export function decodeStruct(value: unknown, struct: GoStruct, target: Record<string, unknown>): void {
  decodeInto(value, struct, target, { struct: undefined, path: [] });
}

interface Context {
  /** The struct holding the field being decoded; undefined at the top level. */
  struct: GoStruct | undefined;
  path: readonly string[];
}

function decodeInto(value: unknown, struct: GoStruct, target: Record<string, unknown>, at: Context): void {
  if (value === null) return;
  if (jsonKind(value) !== 'object') throw mismatch(jsonKind(value), struct.type, at);
  const names = Object.keys(struct.fields);
  for (const [key, raw] of membersOf(value)) {
    const field = names.find((n) => n === key) ?? names.find((n) => fold(n) === fold(key));
    if (field === undefined || raw === null) continue;
    const type = struct.fields[field] as GoType;
    const inner = { struct, path: [...at.path, ...(struct.paths?.[field] ?? field).split('.')] };
    if (typeof type === 'object') {
      target[field] ??= {};
      decodeInto(raw, type, target[field] as Record<string, unknown>, inner);
    } else {
      target[field] = decodeScalar(raw, type, inner);
    }
  }
}

function decodeScalar(raw: unknown, type: GoScalar, at: Context): unknown {
  const kind = jsonKind(raw);
  switch (type) {
    case 'string':
      if (kind !== 'string') throw mismatch(kind, type, at);
      return raw;
    case 'bool':
      if (kind !== 'bool') throw mismatch(kind, type, at);
      return raw;
    case 'float32': {
      if (kind !== 'number') throw mismatch(kind, type, at);
      const literal = numberLiteral(raw);
      const value = Math.fround(Number(literal));
      if (!Number.isFinite(value)) throw mismatch(`number ${literal}`, type, at);
      return value;
    }
    default: {
      if (kind !== 'number') throw mismatch(kind, type, at);
      const literal = numberLiteral(raw);
      // strconv.ParseInt: an optional minus and decimal digits only, within int64.
      const value = /^-?\d+$/.test(literal) ? BigInt(literal) : undefined;
      if (value === undefined || value < INT64_MIN || value > INT64_MAX) {
        throw mismatch(`number ${literal}`, type, at);
      }
      return value;
    }
  }
}

function numberLiteral(raw: unknown): string {
  return raw instanceof JsonNumber ? raw.literal : String(raw);
}

/** Go's UnmarshalTypeError text: with a field path once inside a struct, else "Go value". */
function mismatch(shown: string, type: string, at: Context): GoJsonError {
  const where = at.struct ? `Go struct field ${at.struct.name}.${at.path.join('.')}` : 'Go value';
  return new GoJsonError(`json: cannot unmarshal ${shown} into ${where} of type ${type}`);
}

/** Runs a decode and turns a type error into Toxiproxy's 400 "bad request body: ...". */
export function asBadRequest<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof GoJsonError) throw ApiErrors.badRequestBody.wrap(err.message) as ApiError;
    throw err;
  }
}

/** A float32 as Go marshals it: the shortest decimal that reads back as the same float32. */
export function float32Json(value: number): JsonNumber {
  const f = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(f.toPrecision(digits));
    if (Math.fround(shorter) === f) return new JsonNumber(String(shorter));
  }
  return new JsonNumber(String(Number(f.toPrecision(9))));
}

/**
 * Go's json.Marshal for our values: int64s (bigint) exactly, JsonNumber literals as written, and
 * HTML-significant characters escaped in strings, as clients diffing bodies expect.
 */
export function marshal(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  const v = hasToJson(value) ? value.toJSON() : value;
  if (v instanceof JsonNumber) return v.literal;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return String(v);
    case 'string':
      return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => {
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      });
    case 'object':
      break;
    default:
      return undefined; // undefined and functions are left out, as JSON.stringify does
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map((item) => write(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const [key, item] of Object.entries(v)) {
    const text = write(item);
    if (text !== undefined) members.push(`${write(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function';
}
