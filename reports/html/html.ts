/**
 * Safe HTML building: every interpolated value is escaped unless it is already markup made here.
 * Strings from a result (experiment names, descriptions, error texts, fault ids) may contain <, &
 * and quotes; `html` escapes them, so a report cannot be made to run script or load anything.
 */

/** Markup that is already safe (made by `html` or `raw`), inserted as is. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

export type Interpolated = Markup | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value instanceof Markup) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : escapeHtml(String(value));
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` results stay markup. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Trusted markup made by our own code (never pass text from a result here). */
export function raw(markup: string): Markup {
  return new Markup(markup);
}

export function join(parts: readonly Interpolated[], separator = ''): Markup {
  return new Markup(
    parts
      .map(render)
      .filter((s) => s !== '')
      .join(separator),
  );
}

/**
 * JSON for a <script type="application/json"> block: <, >, & and the JS line separators are
 * \u-escaped, so no string in it can close the script element or open a comment.
 */
export function scriptJson(data: unknown): Markup {
  const json = JSON.stringify(data) ?? 'null';
  return new Markup(
    json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}
