import {
  type CommandContext,
  type CreditDetailChoice,
  type CreditNoteCommand,
  creditNote,
  type Invoice,
  issueYear,
  summarizeDetails,
} from '../../domain/index.ts';
import type { FirmProfile } from '../../documents/firm.ts';
import { faultPoint } from '../../shared/faults.ts';
import { StaleVersion } from '../../shared/errors.ts';
import { asInvoice, type CreditNotes, type CreditPlan, type InvoiceChanges, type InvoiceHeader } from '../ports.ts';

/**
 * Credit notes (rules, sections 4 and 6): the domain's creditNote decides; the issue (the next number of the series,
 * the credited invoice conditional on its version, the credit note's header, the audit entry, the plan and the
 * queued e-mail) is one atomic change; the credit note's details and the credited work follow (`complete`), and a
 * crash in between is finished from the plan (`resumeCredit`).
 */
export interface CreditPorts {
  readonly invoices: InvoiceChanges;
  readonly credits: CreditNotes;
}

export type CreditRequest =
  | { readonly full: true }
  | { readonly full?: false; readonly details: readonly CreditDetailChoice[] };

function withoutArrays(invoice: Invoice): Omit<Invoice, 'details' | 'audit' | 'excluded' | 'status' | 'summary'> {
  const { details: _d, audit: _a, excluded: _e, status: _s, summary: _sum, ...rest } = invoice;
  return rest;
}

/** The credit note's stored header: issued at once, its details pending until `complete`. */
function creditNoteHeader(note: Invoice, before: InvoiceHeader, now: string, supplier: FirmProfile): InvoiceHeader {
  return {
    ...withoutArrays(note),
    status: note.status,
    detailCount: note.details.length,
    heldCount: note.details.length,
    excludedCount: 0,
    createdAt: now,
    customerId: before.customerId ?? null,
    summary: summarizeDetails(note.details),
    supplier,
    ...(before.contractLineNames ? { contractLineNames: before.contractLineNames } : {}),
    ...(before.projectName ? { projectName: before.projectName } : {}),
    detailsPending: true,
  };
}

export async function issueCredit(
  ports: CreditPorts,
  invoiceId: string,
  creditNoteId: string,
  expectedVersion: number,
  request: CreditRequest,
  ctx: CommandContext & { actorId: string },
  supplier: FirmProfile,
): Promise<{ invoice: InvoiceHeader; creditNote: InvoiceHeader }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await ports.invoices.header(invoiceId);
    if (!before) throw new Error(`no invoice ${invoiceId}`);
    if (before.version !== expectedVersion) throw new StaleVersion(before.version, 'invoice');
    const invoice = asInvoice(before, await ports.invoices.details(invoiceId));
    const { number, claim } = await ports.credits.nextNumber(issueYear(ctx.today));
    const command: CreditNoteCommand = request.full
      ? { creditNoteId, number, full: true }
      : { creditNoteId, number, details: request.details };
    const context: CommandContext = { actor: ctx.actor, now: ctx.now, today: ctx.today };
    const result = creditNote(invoice, command, context);
    const after: InvoiceHeader = { ...before, ...withoutArrays(result.invoice), status: result.invoice.status };
    const note = creditNoteHeader(result.creditNote, before, ctx.now, supplier);
    const entry = result.invoice.audit.at(-1);
    if (!entry) throw new Error('the domain command recorded no audit entry');
    const email = result.creditNote.customer.email;
    const written = await ports.credits.issue({
      claim,
      expectedVersion,
      invoice: after,
      creditNote: note,
      audit: { ...entry, actorId: ctx.actorId },
      plan: { creditNoteId, invoiceId, invoiceBefore: before, command, context, createdAt: ctx.now },
      ...(email
        ? { delivery: { to: result.creditNote.billTo.email ?? email, queuedAt: ctx.now, queuedBy: ctx.actor } }
        : {}),
    });
    if (written === 'number_taken') continue;
    await faultPoint(`credit-note:issued:${creditNoteId}`);
    await ports.credits.complete(result);
    return { invoice: after, creditNote: { ...note, detailsPending: false } };
  }
  throw new Error('the credit-note series is busy; try again');
}

/**
 * Finishes a credit note whose details are pending (a crash after its issue): the same credit computed again from
 * its plan, then completed. False when there is no plan (finished already).
 */
export async function resumeCredit(ports: CreditPorts, creditNoteId: string): Promise<boolean> {
  const plan: CreditPlan | undefined = await ports.credits.plan(creditNoteId);
  if (!plan) return false;
  const invoice = asInvoice(plan.invoiceBefore, await ports.invoices.details(plan.invoiceId));
  await ports.credits.complete(creditNote(invoice, plan.command, plan.context));
  return true;
}
