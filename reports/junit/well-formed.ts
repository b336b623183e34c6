/**
 * A tiny XML reader for tests: checks well-formedness (one root, matching tags, quoted attributes,
 * only the predefined and numeric entities, no raw < or & in text or attributes, only XML 1.0
 * characters) and returns the element tree. No DTDs, CDATA or processing instructions besides the
 * XML declaration: JUnit files need none.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const VALID_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw "<" at ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity at ${where}: ${match}`);
    if (entity in PREDEFINED) return PREDEFINED[entity] as string;
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(entity);
    if (!numeric) throw new Error(`unknown entity &${entity}; at ${where}`);
    const code = numeric[1] ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = String.fromCodePoint(code);
    if (!VALID_CHARS.test(char)) throw new Error(`character reference to an invalid character at ${where}`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  if (!VALID_CHARS.test(xml)) throw new Error('contains characters XML 1.0 does not allow');
  let i = 0;
  const declaration = /^<\?xml\s[^?]*\?>/.exec(xml);
  if (declaration) i = declaration[0].length;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i] as string)) i++;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  skipSpace();
  while (i < xml.length) {
    if (stack.length === 0 && root) {
      skipSpace();
      if (i < xml.length) throw new Error(`content after the root element at ${i}`);
      break;
    }
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? xml.length : end);
      const parent = stack.at(-1);
      if (!parent) throw new Error(`text outside the root element at ${i}`);
      if (raw.includes('>') && raw.includes(']]>')) throw new Error(`"]]>" in text at ${i}`);
      parent.text += decode(raw, i);
      i += raw.length;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> at ${i} does not close <${open?.name}>`);
      i += m[0].length;
      continue;
    }
    i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad tag name at ${i}`);
    i += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (i === before) throw new Error(`attributes must be separated by space at ${i}`);
      const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!attr) throw new Error(`bad attribute at ${i}`);
      const key = attr[1] as string;
      if (key in element.attributes) throw new Error(`duplicate attribute ${key} at ${i}`);
      // Attribute-value normalisation (XML 1.0 §3.3.3): raw tabs and line breaks become spaces.
      element.attributes[key] = decode((attr[3] ?? attr[4] ?? '').replace(/[\t\n\r]/g, ' '), i);
      i += attr[0].length;
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new Error(`a second root element at ${i}`);
    else root = element;
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(element);
    }
  }
  if (stack.length) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` below (and including) `element`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = element.name === name ? [element] : [];
  for (const child of element.children) out.push(...findAll(child, name));
  return out;
}
