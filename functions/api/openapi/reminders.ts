import {
  change,
  closed,
  date,
  invoiceId,
  minor,
  nullable,
  obj,
  type Operations,
  paged,
  query,
  ref,
  type Schemas,
  str,
} from './schema.ts';

/** Reminders (functions/reminders): overdue invoices, an invoice's reminder history, pause and resume. */
const reminderPause = nullable(obj({ reason: str(), by: str(), at: str() }, ['reason', 'by', 'at']));
const lastReminder = nullable(obj({ level: { type: 'integer' }, date }, ['level', 'date']));
const deliveryStatus = { enum: ['queued', 'sending', 'sent', 'failed', 'unknown'] };

const sentReminder = obj(
  {
    level: { type: 'integer' },
    date,
    daysOverdue: { type: 'integer' },
    openAmount: minor,
    lateInterest: nullable(obj({ interest: minor, compensation: minor }, ['interest', 'compensation'])),
    subject: nullable(str()),
    to: nullable(str()),
    deliveryStatus,
    sentAt: nullable(str()),
  },
  ['level', 'date', 'openAmount', 'deliveryStatus'],
);

const pauseEntry = obj(
  { action: { enum: ['paused', 'resumed'] }, reason: str(), by: str(), at: str(), version: { type: 'integer' } },
  ['action', 'reason', 'by', 'at'],
);

export const reminderSchemas: Schemas = {
  ReminderPauseInput: closed({ reason: str({ minLength: 1, maxLength: 500, 'x-multiline': true }) }, ['reason']),
  ReminderPauseResult: obj({ invoice: ref('Invoice'), paused: reminderPause }, ['invoice', 'paused']),
  OverdueInvoice: obj(
    {
      invoiceId: str(),
      number: nullable(str()),
      customer: str(),
      projectId: str(),
      dueDate: date,
      daysOverdue: { type: 'integer' },
      openAmount: minor,
      currency: str(),
      status: { enum: ['issued', 'partially_paid'] },
      version: { type: 'integer' },
      lastReminder,
      paused: reminderPause,
    },
    ['invoiceId', 'dueDate', 'daysOverdue', 'openAmount', 'currency', 'lastReminder', 'paused'],
  ),
  OverduePage: obj({ date, items: { type: 'array', items: ref('OverdueInvoice') }, next: nullable(str()) }, [
    'date',
    'items',
    'next',
  ]),
  ReminderHistory: obj(
    {
      invoiceId: str(),
      number: nullable(str()),
      status: str(),
      version: { type: 'integer' },
      dueDate: nullable(date),
      daysOverdue: { type: 'integer' },
      openAmount: minor,
      currency: str(),
      paused: reminderPause,
      next: nullable(obj({ level: { type: 'integer' }, on: date }, ['level', 'on'])),
      reminders: { type: 'array', items: sentReminder },
      pauses: { type: 'array', items: pauseEntry },
      failures: { type: 'array', items: obj({ date, error: str(), at: str() }, ['date', 'error']) },
    },
    ['invoiceId', 'status', 'version', 'openAmount', 'currency', 'paused', 'next', 'reminders', 'pauses', 'failures'],
  ),
};

export const reminderOperations: Operations = {
  'GET /invoices/{invoiceId}/reminders': {
    summary:
      "An invoice's reminders (level, date, e-mail status), pauses with their reasons, failures and the next level",
    parameters: [invoiceId],
    success: [200, 'ReminderHistory'],
    etag: 'read',
  },
  'POST /invoices/{invoiceId}/reminders/pause': change(
    'Pause reminders on an open invoice, with a reason (a dispute); 409 when paused already or not open',
    [invoiceId],
    'ReminderPauseInput',
    'ReminderPauseResult',
  ),
  'POST /invoices/{invoiceId}/reminders/resume': change(
    'Resume reminders on an invoice, with a reason; 409 when not paused',
    [invoiceId],
    'ReminderPauseInput',
    'ReminderPauseResult',
  ),
  'GET /overdue-invoices': paged(
    'Open issued invoices due before a date (default today), oldest due first, with days overdue and the last reminder',
    [query('date', date)],
    'OverduePage',
  ),
};
