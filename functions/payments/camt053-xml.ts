import { XMLParser } from 'fast-xml-parser';

/**
 * Reading a CAMT.053 document's XML (./camt053.ts): fast-xml-parser with entity processing off, and the few
 * accessors the statement reader needs. Only the five predefined entities and character references are decoded, by
 * hand (nothing expands into more than one character).
 */
export type Node = Record<string, unknown>;

const ARRAYS = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'CdtrRefInf']);

export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ARRAYS.has(name),
});

export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name === 'lt') return '<';
    if (name === 'gt') return '>';
    if (name === 'amp') return '&';
    if (name === 'quot') return '"';
    if (name === 'apos') return "'";
    const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

export function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    if (Array.isArray(current)) current = current[0];
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Node)[name];
  }
  return Array.isArray(current) ? current[0] : current;
}

export function text(node: unknown, ...path: string[]): string | null {
  const value = child(node, ...path);
  if (typeof value === 'string') return value === '' ? null : decodeEntities(value);
  if (value && typeof value === 'object' && typeof (value as Node)['#text'] === 'string')
    return decodeEntities((value as Node)['#text'] as string);
  return null;
}

export function list(node: unknown, name: string): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as Node)[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function date(node: unknown, name: string): string | null {
  const value = text(node, name, 'Dt') ?? text(node, name, 'DtTm');
  return value ? value.slice(0, 10) : null;
}

export function amountOf(node: unknown): { amount: string; currency: string } | null {
  const amt = child(node, 'Amt');
  if (amt && typeof amt === 'object') {
    const value = (amt as Node)['#text'];
    const currency = (amt as Node)['@Ccy'];
    if (typeof value === 'string' && typeof currency === 'string') return { amount: value, currency };
  }
  return null;
}

/** Dbtr/Nm (001.02-001.07) or Dbtr/Pty/Nm (001.08). */
export function debtorName(parties: unknown): string | null {
  return text(parties, 'Dbtr', 'Nm') ?? text(parties, 'Dbtr', 'Pty', 'Nm');
}

/** The namespace of the root element, read from its start tag (the parser drops xmlns attributes with prefixes). */
export function rootNamespace(xml: string): string | undefined {
  const tag = /<(?:([A-Za-z_][\w.-]*):)?Document\b([^>]*)>/.exec(xml);
  if (!tag) return undefined;
  const attribute = tag[1] ? `xmlns:${tag[1]}` : 'xmlns';
  const value = new RegExp(`(?:^|\\s)${attribute.replace('.', '\\.')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(
    tag[2] ?? '',
  );
  return value ? (value[1] ?? value[2]) : undefined;
}
