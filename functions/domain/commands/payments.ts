/** Payments on an issued invoice: record one, reverse one; the status follows from the balance. */
import { assertIsoDate, type IsoDate } from '../dates.ts';
import { CurrencyMismatch, DuplicatePayment, InvalidTransition, Overpayment, ValidationFailed } from '../errors.ts';
import type { CommandContext, Invoice } from '../invoice.ts';
import { assertMinorUnits, type MinorUnits } from '../money.ts';
import { commit, derived, requireStatus, settledStatus } from './common.ts';
import { type CommandResult, NO_EFFECTS } from './effects.ts';

export interface RecordPaymentCommand {
  /** Client payment id, unique per invoice. */
  readonly paymentId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly date: IsoDate;
  readonly method: string;
  readonly reference?: string | null;
}

export function recordPayment(invoice: Invoice, command: RecordPaymentCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['issued', 'partially_paid'], 'record a payment on');
  if (command.currency !== invoice.currency) throw new CurrencyMismatch(invoice.currency, command.currency);
  const amount = assertMinorUnits(command.amount, 'amount');
  if (amount <= 0) throw new ValidationFailed('amount', 'must be greater than 0');
  if (typeof command.paymentId !== 'string' || command.paymentId === '')
    throw new ValidationFailed('paymentId', 'required');
  // Adopted: a repeated client payment id is refused with DuplicatePayment; adapters may answer a replay of the same
  // request from their idempotency record instead.
  if (invoice.payments.some((p) => p.id === command.paymentId)) throw new DuplicatePayment(command.paymentId);
  if (amount > invoice.totals.balance) throw new Overpayment(amount, invoice.totals.balance);
  const payment = {
    id: command.paymentId,
    amount,
    date: assertIsoDate(command.date, 'date'),
    method: command.method,
    reference: command.reference ?? null,
    reversal: null,
  };
  const withPayment = derived({ ...invoice, payments: [...invoice.payments, payment] }, invoice.details);
  const after: Invoice = { ...withPayment, status: settledStatus(withPayment) };
  return {
    invoice: commit(
      invoice,
      after,
      'recordPayment',
      ctx,
      { balance: invoice.totals.balance },
      { balance: after.totals.balance, payment },
    ),
    effects: NO_EFFECTS,
  };
}

export interface ReversePaymentCommand {
  /** The client payment id of the payment reversed. */
  readonly paymentId: string;
  readonly reversalId: string;
  readonly date: IsoDate;
  readonly reason?: string | null;
}

/** Reverses a payment (paid, partially_paid); the status is recomputed from the remaining payments. */
export function reversePayment(invoice: Invoice, command: ReversePaymentCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['paid', 'partially_paid'], 'reverse a payment on');
  const payment = invoice.payments.find((p) => p.id === command.paymentId);
  if (payment === undefined) throw new ValidationFailed('paymentId', `no payment ${command.paymentId}`);
  if (payment.reversal !== null)
    throw new InvalidTransition('reversed', 'reverse a payment', `payment ${payment.id} was already reversed`);
  const reversed = {
    ...payment,
    reversal: { id: command.reversalId, date: assertIsoDate(command.date, 'date'), reason: command.reason ?? null },
  };
  const withReversal = derived(
    { ...invoice, payments: invoice.payments.map((p) => (p === payment ? reversed : p)) },
    invoice.details,
  );
  const after: Invoice = { ...withReversal, status: settledStatus(withReversal) };
  return {
    invoice: commit(
      invoice,
      after,
      'reversePayment',
      ctx,
      { balance: invoice.totals.balance, payment },
      { balance: after.totals.balance, payment: reversed },
    ),
    effects: NO_EFFECTS,
  };
}
