import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The shared Powertools logger (one per Lambda process). Service name and log level come from the environment that
 * the CDK stack (or the local cloud) sets: POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL. Metrics are in
 * metrics.ts, so that a function that emits none (the portal API) does not carry them.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factuur' });
