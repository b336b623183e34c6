/**
 * Just enough XML for JUnit: escaping that survives any string a run can contain (HTML error pages,
 * control characters from a crashed process, lone surrogates), and a small element builder.
 */

// XML 1.0 allows tab, newline, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and the astral planes.
// Everything else (other control characters, lone surrogates, U+FFFE/U+FFFF) cannot appear even
// escaped, so it is replaced with U+FFFD.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD');
}

/** Text content and attribute values alike: & < > " ' escaped, invalid characters replaced. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => `&${ENTITIES[c]};`);
}

const ENTITIES: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

/** Like escapeXml, and keeps line breaks and tabs (a parser would turn raw ones into spaces). */
export function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Attributes whose value is undefined are left out. */
export function element(
  name: string,
  attributes: Record<string, string | number | undefined>,
  children: string[] | string = [],
): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('');
  const body = typeof children === 'string' ? escapeXml(children) : children.join('');
  return body ? `<${name}${attrs}>${body}</${name}>` : `<${name}${attrs}/>`;
}
