import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { StateMachine } from 'aws-local-stepfunctions';
import { invokeHandler, lambdaContext } from '../lambda-runtime.ts';

/** A JSON value as aws-local-stepfunctions passes it between states. */
export type JsonValue = Parameters<StateMachine['run']>[0];

/**
 * An inline Task handler, called like a Lambda handler (event, context). The event parameter is `never` so that
 * handlers of any event type can be bound (the state's input is whatever the ASL passes; Lambda does not check it).
 */
export type LocalTaskHandler = (event: never, context: Context) => unknown;

/** What a `${Key}` placeholder is bound to: a handler id under functions/handlers/, or an inline function. */
export type TaskHandlerRef = string | LocalTaskHandler;

/** How a Task state reaches its function, as on AWS. */
export type TaskIntegration = 'lambda' | 'lambda:invoke';

/**
 * Runs one Lambda invocation in-process and answers what Step Functions would see:
 * - the result goes through JSON (as the Lambda service serialises it; undefined becomes null);
 * - a thrown error becomes an Error whose `name` is the Lambda errorType (what Retry/Catch match) and whose message is
 *   the Lambda error payload `{"errorType","errorMessage","trace"}` as a JSON string (AWS's `Cause`).
 */
export async function invokeFunction(
  handler: TaskHandlerRef,
  functionName: string,
  event: unknown,
  timeoutMillis: number,
): Promise<JsonValue> {
  let result: unknown;
  try {
    result =
      typeof handler === 'string'
        ? await invokeHandler(handler, event, timeoutMillis)
        : await handler(event as never, lambdaContext(functionName, timeoutMillis));
  } catch (thrown) {
    throw lambdaError(thrown);
  }
  return JSON.parse(JSON.stringify(result ?? null)) as JsonValue;
}

function lambdaError(thrown: unknown): Error {
  const errorType = thrown instanceof Error && thrown.name ? thrown.name : 'Error';
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  const trace = thrown instanceof Error && thrown.stack ? handlerFrames(thrown.stack) : [];
  const error = new Error(JSON.stringify({ errorType, errorMessage, trace }));
  error.name = errorType;
  return error;
}

/** The stack without the frames of this endpoint and the library below the handler. */
function handlerFrames(stack: string): string[] {
  const lines = stack.split('\n');
  const endpointFrame = lines.findIndex((line, index) => index > 0 && line.includes(import.meta.dirname));
  return endpointFrame === -1 ? lines : lines.slice(0, endpointFrame);
}

/** `arn:aws:states:::lambda:invoke`: the state passes `{FunctionName, Payload}` and gets the Invoke API response. */
export async function invokeLambdaIntegration(
  handler: TaskHandlerRef,
  functionName: string,
  parameters: JsonValue,
  timeoutMillis: number,
): Promise<JsonValue> {
  const payload =
    parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters)
      ? parameters.Payload
      : undefined;
  const result = await invokeFunction(handler, functionName, payload ?? {}, timeoutMillis);
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: result,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
