import { recalculate } from '../../domain/index.ts';
import { Conflict } from '../../shared/errors.ts';
import type { InvoicePorts } from '../ports.ts';
import { type Actor, applyResult, type ChangeOutcome, commandContext, headerAt, wholeInvoice } from './context.ts';

/** Details one change may rewrite (the rest of a transaction holds the header, the audit entry and margin). */
export const MAX_RECALCULATED_DETAILS = 90;

/**
 * Recalculate: reads every detail, optionally re-reads the customer, writes the header and only the details whose
 * values changed (the command's effects). Nothing changed: nothing written, same version.
 */
export async function recalculateInvoice(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  rereadCustomer: boolean,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const { invoice } = await wholeInvoice(ports, header);
  const customer = rereadCustomer ? await ports.customers.currentCustomer(header.projectId) : undefined;
  const result = recalculate(invoice, customer ? { customer } : {}, commandContext(actor, now, ports.timeZone));
  if (result.invoice === invoice) return { invoice: header, problems: result.effects.problems };
  if (result.effects.putDetails.length > MAX_RECALCULATED_DETAILS)
    throw new Conflict(
      `recalculating would rewrite more than ${MAX_RECALCULATED_DETAILS} details at once; not supported yet`,
    );
  return applyResult(ports, header, result, actor);
}
