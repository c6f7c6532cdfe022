import { ValidationFailed } from '../domain/index.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import type { Actor, LineState, PaymentPorts } from './ports.ts';
import { applyToInvoice, keepUnapplied } from './settle-line.ts';
import { type EntryOutcome, outcomesOf } from './statement-view.ts';

/**
 * A person's decision on an entry (POST /bank-entries/{entryId}/assignment): confirm a proposal or assign an
 * unmatched entry to an open invoice (`invoiceId`; an over-payment's rest is kept on the customer), or keep the
 * whole amount as unapplied money on a customer (`customerId`). Only proposed and unmatched entries; once.
 */
export async function assignBankEntry(
  ports: PaymentPorts,
  entryId: string,
  target: { readonly invoiceId?: string; readonly customerId?: string },
  actor: Actor,
  now: Date,
): Promise<EntryOutcome> {
  const claim = await ports.statements.entryClaim(entryId);
  if (!claim) throw new NotFound(`bank entry ${entryId}`);
  const line = await ports.statements.line(claim.statementId, claim.position);
  if (!line) throw new NotFound(`bank entry ${entryId}`);
  if (line.state !== 'proposed' && line.state !== 'unmatched')
    throw new Conflict(`bank entry ${entryId} is ${line.state}; only proposed and unmatched entries can be assigned`, {
      state: line.state,
    });
  const from: LineState[] = [line.state];
  if (target.invoiceId !== undefined) {
    const header = await ports.invoices.header(target.invoiceId);
    if (!header) throw new ValidationFailed('invoiceId', `invoice ${target.invoiceId} does not exist`);
    const assigned = { invoiceId: target.invoiceId, from, state: 'assigned' as const };
    const outcome = await applyToInvoice(ports, line, assigned, 'person', actor, now, null);
    if (outcome === 'not_open')
      throw new ValidationFailed(
        'invoiceId',
        `invoice ${target.invoiceId} takes no ${line.currency} payment (it is ${header.status})`,
      );
    if (outcome === 'settled_elsewhere')
      throw new Conflict(`bank entry ${entryId} was decided by someone else meanwhile`);
  } else if (target.customerId !== undefined) {
    if (!(await ports.customerExists(target.customerId)))
      throw new ValidationFailed('customerId', `customer ${target.customerId} does not exist`);
    if (!(await keepUnapplied(ports, line, from, 'assigned', target.customerId, null, now, actor.username)))
      throw new Conflict(`bank entry ${entryId} was decided by someone else meanwhile`);
  } else {
    throw new ValidationFailed('invoiceId', 'give invoiceId (or customerId to keep the money on a customer)');
  }
  const after = await ports.statements.line(claim.statementId, claim.position);
  return (await outcomesOf(ports, [after as NonNullable<typeof after>]))[0] as EntryOutcome;
}
