import { index } from '../../adapters/dynamodb/keys.ts';
import { todayInZone } from '../../domain/index.ts';
import { publicHeader } from '../../invoices/public-header.ts';
import { changeReminderPause, invoiceReminders, overdueInvoices } from '../../reminders/reminder-pauses.ts';
import { reminderRecordPorts } from '../wiring/reminder-records.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { decodeCursor, encodeCursor, httpApi, limitOf, type ApiRequest } from '../../shared/http-api.ts';
import { reminderOperations, reminderSchemas } from '../../api/openapi/reminders.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** Reminders (one Lambda): the overdue list, an invoice's reminder history, pause and resume. */
const OVERDUE_KEY = ['pk', 'sk', 'gsi4pk', 'gsi4sk'];
const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });
const today = (request: ApiRequest) => todayInZone(request.now, firmTimeZone());

async function pauseOrResume(request: ApiRequest, action: 'pause' | 'resume') {
  const header = await changeReminderPause(
    reminderRecordPorts,
    request.path.invoiceId as string,
    action,
    request.ifMatch(),
    (request.body as { reason?: unknown }).reason,
    actor(request),
    request.now,
  );
  return {
    status: 200,
    body: { invoice: publicHeader(header), paused: header.remindersPaused ?? null },
    version: header.version,
  };
}

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: reminderOperations, schemas: reminderSchemas };

export const handler = httpApi(contract, {
  'GET /overdue-invoices': async (request) => {
    const page = await overdueInvoices(
      reminderRecordPorts,
      request.query.date ?? today(request),
      limitOf(request),
      decodeCursor(request.query.cursor, OVERDUE_KEY, { gsi4pk: index.openByDueDate() }),
    );
    return { status: 200, body: { date: page.date, items: page.items, next: encodeCursor(page.next) } };
  },
  'GET /invoices/{invoiceId}/reminders': async (request) => {
    const body = await invoiceReminders(reminderRecordPorts, request.path.invoiceId as string, today(request));
    return { status: 200, body, version: body.version };
  },
  'POST /invoices/{invoiceId}/reminders/pause': (request) => pauseOrResume(request, 'pause'),
  'POST /invoices/{invoiceId}/reminders/resume': (request) => pauseOrResume(request, 'resume'),
});
