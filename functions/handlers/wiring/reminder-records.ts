import { deliveriesOf } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile, reminderPlanOf } from '../../adapters/dynamodb/firm-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { reminders } from '../../adapters/dynamodb/reminders-store.ts';
import type { ReminderRecordPorts } from '../../reminders/ports.ts';

/**
 * The reminder records on DynamoDB, without the outbox's delivery: what the API's reads, pauses and history use
 * (api/reminders), so that function bundles none of the delivery's document and e-mail libraries. The reminder run
 * adds the delivery (reminders.ts).
 */
export const reminderRecordPorts: ReminderRecordPorts = {
  reminders,
  header: invoiceHeader,
  async firm() {
    const profile = await firmProfile();
    return { profile, plan: reminderPlanOf(profile) };
  },
  deliveries: deliveriesOf,
};
