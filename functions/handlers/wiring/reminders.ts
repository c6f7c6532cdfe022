import type { ReminderPorts } from '../../reminders/ports.ts';
import { sendReminder as send } from '../../reminders/reminder-run.ts';
import { reminderRecordPorts } from './reminder-records.ts';
import { deliverInvoice } from './sending.ts';

/** The reminder use cases' ports on DynamoDB; e-mails go out through the outbox's delivery (sending/). */
export const reminderPorts: ReminderPorts = {
  ...reminderRecordPorts,
  deliver: (invoiceId, deliveryId, now) => deliverInvoice(invoiceId, deliveryId, now),
};

/** One invoice's reminder on one date, on DynamoDB (the send-reminder task; tests call it directly). */
export const sendReminder = (input: Parameters<typeof send>[1], now: () => string) => send(reminderPorts, input, now);
