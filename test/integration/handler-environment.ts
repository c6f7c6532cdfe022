import { inject } from 'vitest';
import { handlerEnvironment } from '../../local/handler-environment.ts';

/**
 * Import first in a test that calls the stores or use cases directly: it gives this worker the environment a
 * handler of the test's local cloud has.
 */
const cloud = inject('localCloud');
Object.assign(process.env, handlerEnvironment(cloud, cloud.tableName), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
