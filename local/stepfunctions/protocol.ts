import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The AWS JSON 1.0 protocol as @aws-sdk/client-sfn speaks it: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`
 * and a JSON body; answers are JSON with content-type application/x-amz-json-1.0. Errors are HTTP 400 (4xx/5xx)
 * with `{"__type": "<Name>", "message": "..."}` and header x-amzn-errortype, which the SDK turns into an exception
 * whose `name` is <Name> (ExecutionAlreadyExists, ExecutionDoesNotExist, ...). Timestamps travel as epoch seconds.
 */
export const CONTENT_TYPE = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** An error answered to the client as `{__type, message}`; `type` is the SDK exception name. */
export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type JsonObject = { [key: string]: unknown };

export function readJsonBody(request: IncomingMessage): Promise<JsonObject> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SfnError('ValidationException', `Request body larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve({});
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        reject(new SfnError('SerializationException', 'The request body is not valid JSON'));
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        reject(new SfnError('SerializationException', 'The request body must be a JSON object'));
        return;
      }
      resolve(parsed as JsonObject);
    });
  });
}

function send(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...extraHeaders,
  });
  response.end(text);
}

export function sendResult(response: ServerResponse, body: unknown): void {
  send(response, 200, body);
}

export function sendError(response: ServerResponse, error: SfnError): void {
  send(response, error.statusCode, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
}

/** Milliseconds since the epoch -> the protocol's timestamp (epoch seconds, fractional). */
export function toEpochSeconds(millis: number): number {
  return millis / 1000;
}

// ---- request field readers: wrong types are the client's fault (ValidationException), as AWS answers them ----

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnError('ValidationException', `${field} must be a string`);
  return value;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) {
    throw new SfnError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function optionalInteger(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SfnError('ValidationException', `${field} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SfnError('ValidationException', `${field} must be a boolean`);
  return value;
}

// ---- opaque paging tokens ----

export function encodeToken(payload: JsonObject): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeToken(token: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // fall through to the error below
  }
  throw new SfnError('InvalidToken', 'Invalid Token: the nextToken is not one this endpoint issued');
}
