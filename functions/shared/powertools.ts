import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Shared Powertools instances (one per Lambda process). Service name, log level and metrics namespace come from
 * the environment that the CDK stack (or the local cloud) sets: POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL,
 * POWERTOOLS_METRICS_NAMESPACE.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factuur' });
export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factuur',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'factuur',
  // Its own warnings (such as "no application metrics") go through the logger, at the logger's level.
  logger,
});
