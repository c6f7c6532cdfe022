import {
  approveReview,
  type CommandContext,
  type CommandResult,
  type EditHeaderCommand,
  editHeader,
  type Invoice,
  returnToDraft,
  submitForReview,
} from '../../domain/index.ts';
import type { InvoicePorts } from '../ports.ts';
import { type Actor, applyResult, type ChangeOutcome, commandContext, draftWith, headerAt } from './context.ts';

/**
 * A command that changes the header only (header edit, review): reads the header, never the details; the problems
 * come from the header's sums. One change: header conditional on the version + audit entry.
 */
async function headerCommand(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  apply: (invoice: Invoice, ctx: CommandContext) => CommandResult,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const invoice = await draftWith(ports, header, []);
  return applyResult(ports, header, apply(invoice, commandContext(actor, now, ports.timeZone)), actor);
}

export type EditHeaderInput = Pick<EditHeaderCommand, 'buyerReference' | 'poNumber' | 'notes' | 'paymentTermsDays'>;

const blankToNull = (text: string | null): string | null => (text === null || text.trim() === '' ? null : text.trim());

/** PATCH /invoices/{id}: buyer reference, purchase-order number, notes, payment terms of a draft (or one in review). */
export function editInvoiceHeader(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  input: EditHeaderInput,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const command: EditHeaderCommand = {
    ...(input.buyerReference !== undefined ? { buyerReference: blankToNull(input.buyerReference) } : {}),
    ...(input.poNumber !== undefined ? { poNumber: blankToNull(input.poNumber) } : {}),
    ...(input.notes !== undefined ? { notes: blankToNull(input.notes) } : {}),
    ...(input.paymentTermsDays !== undefined ? { paymentTermsDays: input.paymentTermsDays } : {}),
  };
  return headerCommand(
    ports,
    invoiceId,
    expectedVersion,
    (invoice, ctx) => editHeader(invoice, command, ctx),
    actor,
    now,
  );
}

export type ReviewStep = 'submit' | 'approve' | 'return';

/** Review before sending: submit (draft -> in review), approve (another billing user), return (with a comment). */
export function reviewInvoice(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  step: ReviewStep,
  comment: string | undefined,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const apply = (invoice: Invoice, ctx: CommandContext): CommandResult => {
    if (step === 'submit') return submitForReview(invoice, {}, ctx);
    if (step === 'approve') return approveReview(invoice, {}, ctx);
    return returnToDraft(invoice, { comment: comment ?? '' }, ctx);
  };
  return headerCommand(ports, invoiceId, expectedVersion, apply, actor, now);
}
