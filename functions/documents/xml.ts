/**
 * A tiny deterministic XML writer: elements are [name, attributes, children] tuples written in order, text and
 * attribute values escaped (& < > " and, in attributes, tab/newline kept as character references). Characters XML 1.0
 * cannot carry make it throw (the pre-issue check refuses them before a number is taken).
 */
export type XmlNode = readonly [name: string, attributes: Readonly<Record<string, string>>, ...children: XmlChild[]];
export type XmlChild = XmlNode | string | null | undefined | false | readonly XmlChild[];

/** Characters outside XML 1.0's Char production (controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
// Built from a string so the pattern holds no literal control characters.
// biome-ignore lint/complexity/useRegexLiterals: a literal would trip noControlCharactersInRegex; finding them is the point.
const NOT_XML_CHAR = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
);

export function isXmlText(value: string): boolean {
  return !NOT_XML_CHAR.test(value);
}

export function escapeText(value: string): string {
  if (!isXmlText(value)) throw new Error('text holds a character XML 1.0 cannot carry');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** An element; children that are null/undefined/false are left out, arrays are flattened. */
export function el(
  name: string,
  attributes: Readonly<Record<string, string>> | null,
  ...children: XmlChild[]
): XmlNode {
  return [name, attributes ?? {}, ...children];
}

function write(node: XmlChild, out: string[]): void {
  if (node === null || node === undefined || node === false) return;
  if (typeof node === 'string') {
    out.push(escapeText(node));
    return;
  }
  if (node.length === 0 || typeof node[0] !== 'string' || Array.isArray(node[1]) || typeof node[1] !== 'object') {
    for (const child of node as readonly XmlChild[]) write(child, out);
    return;
  }
  const [name, attributes, ...children] = node as XmlNode;
  out.push(`<${name}`);
  for (const [key, value] of Object.entries(attributes)) out.push(` ${key}="${escapeAttribute(value)}"`);
  const present = children.filter((c) => c !== null && c !== undefined && c !== false);
  if (present.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of present) write(child, out);
  out.push(`</${name}>`);
}

/** The document: XML declaration and the root element, no whitespace between elements. */
export function xmlDocument(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, out);
  out.push('\n');
  return out.join('');
}
