import { deliveriesOf } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile, reminderPlanOf } from '../../adapters/dynamodb/firm-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { reminders } from '../../adapters/dynamodb/reminders-store.ts';
import type { ReminderPorts } from '../../reminders/ports.ts';
import { sendReminder as send } from '../../reminders/reminder-run.ts';
import { deliverInvoice } from './sending.ts';

/** The reminder use cases' ports on DynamoDB; e-mails go out through the outbox's delivery (sending/). */
export const reminderPorts: ReminderPorts = {
  reminders,
  header: invoiceHeader,
  async firm() {
    const profile = await firmProfile();
    return { profile, plan: reminderPlanOf(profile) };
  },
  deliver: (invoiceId, deliveryId, now) => deliverInvoice(invoiceId, deliveryId, now),
  deliveries: deliveriesOf,
};

/** One invoice's reminder on one date, on DynamoDB (the send-reminder task; tests call it directly). */
export const sendReminder = (input: Parameters<typeof send>[1], now: () => string) => send(reminderPorts, input, now);
