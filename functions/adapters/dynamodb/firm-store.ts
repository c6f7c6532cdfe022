import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FirmProfile } from '../../documents/firm.ts';
import { documents, tableName } from './client.ts';
import { keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { defaultReminderPlan, validateReminderPlan, type ReminderPlan } from '../../domain/reminders.ts';

/** A1: the firm's own details (name, address, VAT and KvK numbers, IBAN) that every invoice prints. */
export async function firmProfile(): Promise<FirmProfile> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.firmProfile(), ConsistentRead: true }),
  );
  if (!Item) throw new Error('The firm profile (FIRM/PROFILE) is missing');
  return withoutKeys<FirmProfile>(Item);
}

/** The firm's reminder plan, checked (a stored plan that breaks the rules fails loudly, naming the field). */
export function reminderPlanOf(profile: FirmProfile): ReminderPlan {
  return profile.reminderPlan === undefined
    ? defaultReminderPlan
    : validateReminderPlan(profile.reminderPlan, 'firm.reminderPlan');
}

/** Setup: records the firm's details (the local cloud's demo and tests; on AWS an admin's first step). */
export async function putFirmProfile(profile: FirmProfile): Promise<void> {
  if (profile.reminderPlan !== undefined) validateReminderPlan(profile.reminderPlan, 'reminderPlan');
  await documents.send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.firmProfile(), entity: 'FirmProfile', ...profile } }),
  );
}
