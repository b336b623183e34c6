/**
 * Decoding request bodies the way Go's encoding/json does for Toxiproxy's structs, so that clients see
 * the same acceptance rules and (nearly) the same error texts: unknown keys are ignored, keys match
 * case-insensitively, `null` leaves a field unchanged, integers must be whole and in range.
 */
import { type ApiError, ApiErrors } from './api-error.ts';

export type GoType = 'string' | 'bool' | 'int64' | 'int' | 'float32';

export interface GoStruct {
  /** Type name Go prints in errors, e.g. "Proxy" or "LatencyToxic". */
  readonly name: string;
  readonly fields: Readonly<Record<string, GoType>>;
}

export class GoJsonError extends Error {}

const INT64_LIMIT = 2 ** 63;

/** Parses a request body; failures read like Go's decoder ("EOF", "invalid character ..."). */
export function parseBody(text: string): unknown {
  if (text.trim() === '') throw ApiErrors.badRequestBody.wrap('EOF');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw ApiErrors.badRequestBody.wrap(syntaxErrorText(text, err));
  }
}

function syntaxErrorText(text: string, err: unknown): string {
  const position = /position (\d+)/.exec(String(err))?.[1];
  const at = position === undefined ? -1 : Number(position);
  const char = at >= 0 ? text[at] : undefined;
  if (char === undefined || /Unexpected end/i.test(String(err))) return 'unexpected EOF';
  return `invalid character '${char}' looking for beginning of value`;
}

export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/**
 * Decodes `value` into `target` (a struct already holding its defaults). `path` is the field path Go
 * reports, e.g. ["attributes"] for a toxic's attributes.
 */
export function decodeStruct(
  value: unknown,
  struct: GoStruct,
  target: Record<string, unknown>,
  path: readonly string[] = [],
): void {
  if (value === null) return;
  if (jsonKind(value) !== 'object') {
    const where = path.length ? `Go struct field ${path.join('.')}` : 'Go value';
    throw new GoJsonError(`json: cannot unmarshal ${jsonKind(value)} into ${where} of type ${struct.name}`);
  }
  const names = Object.keys(struct.fields);
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field === undefined || raw === null) continue;
    const type = struct.fields[field] as GoType;
    target[field] = decodeValue(raw, type, `${struct.name}.${[...path, field].join('.')}`);
  }
}

function decodeValue(raw: unknown, type: GoType, fieldPath: string): unknown {
  const mismatch = (shown: string) =>
    new GoJsonError(`json: cannot unmarshal ${shown} into Go struct field ${fieldPath} of type ${type}`);
  switch (type) {
    case 'string':
      if (typeof raw !== 'string') throw mismatch(jsonKind(raw));
      return raw;
    case 'bool':
      if (typeof raw !== 'boolean') throw mismatch(jsonKind(raw));
      return raw;
    case 'float32':
      if (typeof raw !== 'number') throw mismatch(jsonKind(raw));
      return raw;
    default:
      if (typeof raw !== 'number') throw mismatch(jsonKind(raw));
      if (!Number.isInteger(raw) || Math.abs(raw) >= INT64_LIMIT) throw mismatch(`number ${raw}`);
      return raw;
  }
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

/** Go's json.Marshal escapes HTML-significant characters; clients diffing bodies expect that. */
export function marshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
