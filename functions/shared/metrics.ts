import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from './powertools.ts';

/** The shared Powertools metrics (one per Lambda process); namespace from POWERTOOLS_METRICS_NAMESPACE. */
export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factuur',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'factuur',
  // Its own warnings (such as "no application metrics") go through the logger, at the logger's level.
  logger,
});
