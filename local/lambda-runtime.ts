import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Context } from 'aws-lambda';

/**
 * Runs the handler modules of functions/handlers/ in this process, as Lambda would: the module is imported once
 * (module scope is the "cold start"), each invocation gets a fresh Context with a deadline.
 */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const repositoryRoot = path.resolve(import.meta.dirname, '..');
const loaded = new Map<string, Promise<LambdaHandler>>();

/**
 * `api/health` is functions/handlers/api/health.ts. Ids that start with `test/` name a test fixture relative to
 * the repository root (`test/fixtures/handlers/whoami` is test/fixtures/handlers/whoami.ts); the CDK stack never
 * sees those, its route table names functions/handlers/ modules only.
 */
export function handlerModulePath(handlerId: string): string {
  if (handlerId.startsWith('test/')) return path.join(repositoryRoot, `${handlerId}.ts`);
  return path.join(repositoryRoot, 'functions', 'handlers', `${handlerId}.ts`);
}

export function loadHandler(handlerId: string): Promise<LambdaHandler> {
  let handler = loaded.get(handlerId);
  if (!handler) {
    const modulePath = handlerModulePath(handlerId);
    handler = import(pathToFileURL(modulePath).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') {
        throw new Error(`${path.relative(repositoryRoot, modulePath)} does not export a handler function`);
      }
      return module.handler as LambdaHandler;
    });
    loaded.set(handlerId, handler);
  }
  return handler;
}

export function lambdaContext(functionName: string, timeoutMillis = 30_000): Context {
  const deadline = Date.now() + timeoutMillis;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function invokeHandler(handlerId: string, event: unknown, timeoutMillis?: number): Promise<unknown> {
  const handler = await loadHandler(handlerId);
  return handler(event, lambdaContext(handlerId.replaceAll('/', '-'), timeoutMillis));
}
