import { firmProfile, settingsOf, updateFirmSettings, type FirmSettings } from '../../adapters/dynamodb/firm-store.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { httpApiWithoutPosts } from '../../shared/http-api-without-posts.ts';
import { settingsOperations, setupSchemas } from '../../api/openapi/setup.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: settingsOperations, schemas: setupSchemas };

/** /settings (one Lambda): the firm's settings; every role reads them (the portal shows what they make it do). */
// with the firm's time zone: the portal proposes "today" (payment, cut-off, run dates) as the firm's calendar date
export const handler = httpApiWithoutPosts(contract, {
  'GET /settings': async () => ({
    status: 200,
    body: { ...settingsOf(await firmProfile()), timeZone: firmTimeZone() },
  }),
  'PATCH /settings': async (request) => ({
    status: 200,
    body: { ...(await updateFirmSettings(request.body as Partial<FirmSettings>)), timeZone: firmTimeZone() },
  }),
});
