import {
  type CommandContext,
  type CommandResult,
  type Effects,
  type Invoice,
  summarizeDetails,
  todayInZone,
  type ValidationProblem,
} from '../../domain/index.ts';
import { NotFound, StaleVersion } from '../../shared/errors.ts';
import { asInvoice, type InvoiceHeader, type InvoicePorts } from '../ports.ts';

/**
 * What every invoice use case shares: who acts, the command context, loading the invoice the way a command needs
 * it, and turning the domain's result into the one change the port applies.
 */
export interface Actor {
  readonly username: string;
  readonly userId: string;
}

export interface ChangeOutcome {
  readonly invoice: InvoiceHeader;
  readonly problems: readonly ValidationProblem[];
}

export function commandContext(actor: Actor, now: Date, timeZone: string): CommandContext {
  return { actor: actor.username, now: now.toISOString(), today: todayInZone(now, timeZone) };
}

export async function headerAt(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
): Promise<InvoiceHeader> {
  const header = await ports.invoices.header(invoiceId);
  if (!header) throw new NotFound(`invoice ${invoiceId}`);
  if (header.version !== expectedVersion) throw new StaleVersion(header.version, 'invoice');
  return header;
}

/**
 * The invoice as a one-detail command needs it: the header's sums and only the given details (older headers
 * without sums get them computed from their details once).
 */
export async function draftWith(
  ports: InvoicePorts,
  header: InvoiceHeader,
  details: Invoice['details'],
): Promise<Invoice> {
  const summary = header.summary ?? summarizeDetails(await ports.invoices.details(header.id));
  return { ...asInvoice(header, details), summary };
}

/** The whole invoice (header and every detail), with its sums. */
export async function wholeInvoice(
  ports: InvoicePorts,
  header: InvoiceHeader,
): Promise<{ readonly invoice: Invoice; readonly details: number }> {
  const details = await ports.invoices.details(header.id);
  return {
    invoice: { ...asInvoice(header, details), summary: header.summary ?? summarizeDetails(details) },
    details: details.length,
  };
}

/** The stored header after a command: the invoice's fields over the header read (storage fields stay). */
export function headerAfter(before: InvoiceHeader, invoice: Invoice): InvoiceHeader {
  const { details: _d, audit: _a, excluded: _e, ...rest } = invoice;
  const summary = invoice.summary ?? before.summary;
  return {
    ...before,
    ...rest,
    status: invoice.status,
    ...(summary === undefined ? {} : { summary, detailCount: summary.count }),
  };
}

/** Applies a command's result: the header, its audit entry and the effects, in one atomic change. */
export async function applyResult(
  ports: InvoicePorts,
  before: InvoiceHeader,
  result: { readonly invoice: Invoice; readonly effects: Effects },
  actor: Actor,
  alsoWrite?: readonly object[],
): Promise<ChangeOutcome> {
  const entry = result.invoice.audit.at(-1);
  if (!entry) throw new Error('the domain command recorded no audit entry');
  const header = headerAfter(before, result.invoice);
  await ports.invoices.apply({
    expectedVersion: before.version,
    header,
    audit: { ...entry, actorId: actor.userId },
    effects: result.effects,
    ...(alsoWrite ? { alsoWrite } : {}),
  });
  return { invoice: header, problems: result.effects.problems };
}

export type { CommandResult };
