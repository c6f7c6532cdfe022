import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { badRequest, unsupportedMediaType } from './problems.ts';

/**
 * The request body as bytes, then as text, then as JSON: the content type must be one the operation declares
 * (415 otherwise, also when it is missing), the bytes must be UTF-8 (400 `body`), the JSON must be well formed with
 * no object naming a key twice (400 naming the key: JSON.parse would keep the last one silently) and no deeper
 * than {@link MAX_DEPTH}.
 */
export const MAX_DEPTH = 32;

export interface RawBody {
  readonly text: string;
  readonly mediaType: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** `application/json; charset=utf-8` -> `application/json`; undefined when absent or not a media type. */
export function mediaTypeOf(
  contentType: string | undefined,
): { type: string; charset: string | undefined } | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...parameters] = contentType.split(';');
  const mediaType = type?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) return undefined;
  const charset = parameters
    .map((parameter) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(parameter)?.[1]?.toLowerCase())
    .find((value) => value !== undefined);
  return { type: mediaType, charset };
}

/**
 * The body of the event as text, or undefined when there is none. API Gateway base64-encodes bodies it does not
 * treat as text (and the local twin does the same for bytes that are not UTF-8): those are decoded strictly.
 */
export function rawBodyOf(
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>,
  contentType: string | undefined,
  accepted: readonly string[],
): RawBody | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const media = mediaTypeOf(contentType);
  if (!media || !accepted.includes(media.type))
    throw unsupportedMediaType(
      `${media ? `${media.type} is` : 'a body without content-type is'} not accepted here: send ${accepted.join(' or ')}`,
    );
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8')
    throw unsupportedMediaType(`charset ${media.charset} is not accepted: send UTF-8`);
  let text: string;
  if (event.isBase64Encoded) {
    const bytes = Buffer.from(event.body, 'base64');
    if (!isUtf8(bytes)) throw badRequest('body', 'the body is not valid UTF-8');
    text = utf8.decode(bytes);
  } else {
    text = event.body;
  }
  return { text, mediaType: media.type };
}

/**
 * JSON.parse, after a linear scan that refuses duplicate keys, deep nesting and objects or arrays larger than any the
 * contract allows (400 naming the field) before JSON.parse spends time on them.
 */
export function parseJson(text: string): unknown {
  scanObjects(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('body', 'the body must be JSON');
  }
}

/** Larger than any object or array of the contract (validation.ts checks each against its own bound). */
const MAX_KEYS = 1000;
const MAX_ELEMENTS = 10_000;

interface Frame {
  readonly keys: Set<string> | undefined;
  readonly path: string;
  expectKey: boolean;
  index: number;
}

function childPath(frame: Frame | undefined, key: string | undefined): string {
  if (!frame) return '';
  if (frame.keys === undefined) return `${frame.path}[${frame.index}]`;
  return frame.path === '' ? (key ?? '') : `${frame.path}.${key ?? ''}`;
}

/**
 * Walks the JSON text (before JSON.parse: on malformed text it may find nothing, and JSON.parse then refuses it)
 * and checks every object's keys are distinct, and sizes and depth bounded.
 */
function scanObjects(text: string): void {
  const stack: Frame[] = [];
  let pendingKey: string | undefined;
  for (let position = 0; position < text.length; position++) {
    const char = text[position];
    if (char === '"') {
      const end = stringEnd(text, position);
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        const literal = text.slice(position, end + 1);
        const key = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
        const field = top.path === '' ? key : `${top.path}.${key}`;
        if (top.keys.has(key)) throw badRequest(field, `${field} is given twice`);
        if (top.keys.size >= MAX_KEYS)
          throw badRequest(top.path || 'body', `${top.path || 'body'} has too many properties`);
        top.keys.add(key);
        top.expectKey = false;
        pendingKey = key;
      }
      position = end;
    } else if (char === '{' || char === '[') {
      if (stack.length >= MAX_DEPTH) throw badRequest('body', `the body nests deeper than ${MAX_DEPTH} levels`);
      const parent = stack.at(-1);
      stack.push({
        keys: char === '{' ? new Set() : undefined,
        path: childPath(parent, pendingKey),
        expectKey: char === '{',
        index: 0,
      });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
      else if (top && ++top.index >= MAX_ELEMENTS)
        throw badRequest(top.path || 'body', `${top.path || 'body'} has too many items`);
    }
  }
}

/** The index of the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
