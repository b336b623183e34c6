/**
 * An options or parameters schema (a zod object) described for humans: each field's type, default,
 * unit, allowed values and bounds. Read through zod's own `z.toJSONSchema`, so it never depends on
 * zod's internals; defaults are what the field parses `undefined` to (a duration default in ms).
 */
import { z } from 'zod';

export interface FieldDescription {
  name: string;
  /** JSON Schema types ("integer", "string[]", "object[]"), or "duration". */
  type: string;
  required: boolean;
  default?: unknown;
  /** From the field's name (`intervalMs`, `graceSeconds`) or its description's last "(unit)". */
  unit?: string;
  description?: string;
  values?: readonly unknown[];
  /** The lowest allowed value; `above` when it is itself not allowed ("rate > 0"). */
  min?: number;
  above?: boolean;
  max?: number;
  pattern?: string;
}

interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const NAME_UNITS: [RegExp, string][] = [
  [/Ms$/, 'ms'],
  [/Seconds$/, 's'],
];
/** "delay added to each chunk (ms)": a short last parenthesis is the unit. */
const DESCRIBED_UNIT = /\(([^()\s]{1,12})\)$/;

function typeOf(json: JsonSchema): string {
  const types = Array.isArray(json.type) ? json.type : json.type ? [json.type] : [];
  const type = types.join('|') || (json.enum ? typeof json.enum[0] : 'any');
  return type === 'array' && json.items ? `${typeOf(json.items)}[]` : type;
}

function unitOf(name: string, description: string | undefined): string | undefined {
  const described = description?.match(DESCRIBED_UNIT)?.[1];
  return described ?? NAME_UNITS.find(([pattern]) => pattern.test(name))?.[1];
}

/** The value a field takes when it is left out, if it has one. */
function defaultOf(field: z.ZodType): unknown {
  const parsed = field.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

export function describeFields(schema: z.ZodObject): FieldDescription[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(schema.shape).map(([name, field]) => {
    const p = json.properties?.[name] ?? {};
    const d: FieldDescription = { name, type: typeOf(p), required: required.has(name) };
    const fallback = defaultOf(field as z.ZodType);
    if (fallback !== undefined) d.default = fallback;
    const unit = unitOf(name, p.description);
    if (unit) d.unit = unit;
    // A duration is a number of ms or a string like "1.5s" (core/duration.ts).
    if (unit === 'ms' && d.type === 'string|number') d.type = 'duration';
    const description = p.description?.replace(DESCRIBED_UNIT, '').trim();
    if (description) d.description = description;
    if (p.enum) d.values = p.enum;
    if (p.minimum !== undefined) d.min = p.minimum;
    else if (p.exclusiveMinimum !== undefined) Object.assign(d, { min: p.exclusiveMinimum, above: true });
    if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) d.max = p.maximum;
    const pattern = p.pattern ?? p.items?.pattern;
    if (pattern) d.pattern = pattern;
    return d;
  });
}

/** "latency=1000 ms", "link", "replicas?": a field as a short option list shows it. */
export function fieldSummary(field: FieldDescription): string {
  const unit = field.unit ? ` ${field.unit}` : '';
  if (field.default !== undefined) {
    const value = typeof field.default === 'string' ? field.default : JSON.stringify(field.default);
    return `${field.name}=${value}${unit}`;
  }
  return `${field.name}${field.required ? '' : '?'}${unit ? ` (${field.unit})` : ''}`;
}
