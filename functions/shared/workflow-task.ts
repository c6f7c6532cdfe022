import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { asTransient } from './errors.ts';
import { metrics } from './metrics.ts';
import { logger } from './powertools.ts';

/**
 * A Step Functions Task handler: Powertools logging and metrics, and errors thrown under a `name` that the ASL's
 * Retry and Catch match (AWS and network failures become TransientError; domain errors keep their own name).
 */
export function workflowTask<TInput, TOutput>(task: (input: TInput, context: Context) => Promise<TOutput>) {
  return middy(async (input: TInput, context: Context): Promise<TOutput> => {
    try {
      return await task(input, context);
    } catch (error) {
      const thrown = asTransient(error);
      logger.error('task failed', { error: thrown });
      throw thrown;
    }
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}
