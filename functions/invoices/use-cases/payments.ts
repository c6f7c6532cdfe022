import {
  type RecordPaymentCommand,
  type ReversePaymentCommand,
  recordPayment,
  reversePayment,
  takesPaymentIn,
  todayInZone,
  ValidationFailed,
} from '../../domain/index.ts';
import { StaleVersion } from '../../shared/errors.ts';
import { type InvoiceHeader, type InvoicePorts, ItemConflict } from '../ports.ts';
import {
  type Actor,
  applyResult,
  type ChangeOutcome,
  commandContext,
  headerAfter,
  headerAt,
  wholeInvoice,
} from './context.ts';

/** A payment is dated between the invoice's creation (in the firm's zone) and today in the firm's zone. */
function assertPaymentDate(date: string, createdAt: string | undefined, today: string, timeZone: string): void {
  if (date > today) throw new ValidationFailed('date', `${date} is after today (${today})`);
  const created = createdAt ? todayInZone(new Date(createdAt), timeZone) : undefined;
  if (created !== undefined && date < created)
    throw new ValidationFailed('date', `${date} is before the invoice was created (${created})`);
}

export async function recordInvoicePayment(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  command: RecordPaymentCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const context = commandContext(actor, now, ports.timeZone);
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const { invoice } = await wholeInvoice(ports, header);
  assertPaymentDate(command.date, header.createdAt, context.today, ports.timeZone);
  return applyResult(ports, header, recordPayment(invoice, command, context), actor);
}

/** Reverses a payment; the status follows from the remaining payments. */
export async function reverseInvoicePayment(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  command: ReversePaymentCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const { invoice } = await wholeInvoice(ports, header);
  return applyResult(
    ports,
    header,
    reversePayment(invoice, command, commandContext(actor, now, ports.timeZone)),
    actor,
  );
}

/** A payment the bank reported (a statement entry): its id is the entry's identity, so it is recorded once. */
export interface BankPayment {
  readonly entryId: string;
  /** The entry's amount in minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly date: string;
  readonly reference: string | null;
}

export type BankPaymentOutcome =
  | { readonly kind: 'applied'; readonly invoice: InvoiceHeader; readonly applied: number; readonly unapplied: number }
  /** The invoice takes no payment (paid, cancelled, a draft, another currency): nothing was written. */
  | { readonly kind: 'not_open'; readonly invoice: InvoiceHeader | undefined }
  /** A condition of `alsoWrite` failed: someone else settled the entry first; nothing was written. */
  | { readonly kind: 'settled_elsewhere' };

function takesPayment(header: InvoiceHeader | undefined, currency: string): header is InvoiceHeader {
  return header !== undefined && takesPaymentIn(header, currency);
}

/**
 * Records a bank entry as a payment through the same domain command as POST /invoices/{id}/payments (recordPayment:
 * balance and status rules in one place), in one change with `alsoWrite` (the statement line's outcome, the
 * unapplied rest): the entry becomes a payment exactly once. The payment is what the invoice still needs; the rest
 * of the entry (an over-payment) is returned as `unapplied` for the caller to keep on the customer.
 * A concurrent change of the invoice (412 for a person) is read again and retried.
 */
export async function recordBankPayment(
  ports: InvoicePorts,
  invoiceId: string,
  payment: BankPayment,
  actor: Actor,
  now: Date,
  alsoWrite: (applied: number, unapplied: number, header: InvoiceHeader) => readonly object[],
): Promise<BankPaymentOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const header = await ports.invoices.header(invoiceId);
    if (!takesPayment(header, payment.currency)) return { kind: 'not_open', invoice: header };
    if (header.payments.some((p) => p.id === payment.entryId)) return { kind: 'settled_elsewhere' };
    const { invoice } = await wholeInvoice(ports, header);
    const applied = Math.min(payment.amount, header.totals.balance);
    const unapplied = payment.amount - applied;
    const result = recordPayment(
      invoice,
      {
        paymentId: payment.entryId,
        amount: applied,
        currency: payment.currency,
        date: payment.date,
        method: 'bank',
        reference: payment.reference,
      },
      commandContext(actor, now, ports.timeZone),
    );
    try {
      const outcome = await applyResult(
        ports,
        header,
        result,
        actor,
        alsoWrite(applied, unapplied, headerAfter(header, result.invoice)),
      );
      return { kind: 'applied', invoice: outcome.invoice, applied, unapplied };
    } catch (error) {
      if (error instanceof StaleVersion) continue;
      if (error instanceof ItemConflict) return { kind: 'settled_elsewhere' };
      throw error;
    }
  }
  throw new Error(`invoice ${invoiceId} kept changing; the bank entry ${payment.entryId} stays pending`);
}
