import { discard } from '../../domain/index.ts';
import { NotFound, StaleVersion } from '../../shared/errors.ts';
import { asInvoice, type InvoicePorts } from '../ports.ts';
import { type Actor, commandContext } from './context.ts';

/**
 * Discard, in two steps: first the header becomes `discarded` (version + 1, audit entry), conditional on the
 * version; then every detail's transaction or milestone is released and the details deleted (the command's release
 * effects, applied by the port in small idempotent writes). A retry (or a crash in between) finishes the release:
 * DELETE on a discarded invoice continues it. The header stays as a tombstone: the origin key stays used.
 */
export async function discardInvoice(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<void> {
  const found = await ports.invoices.header(invoiceId);
  if (!found) throw new NotFound(`invoice ${invoiceId}`);
  const details = await ports.invoices.details(invoiceId);
  if (found.status !== 'discarded') {
    if (found.version !== expectedVersion) throw new StaleVersion(found.version, 'invoice');
    const result = discard(asInvoice(found, details), {}, commandContext(actor, now, ports.timeZone));
    await ports.invoices.apply({
      expectedVersion,
      header: { ...found, status: 'discarded', version: found.version + 1 },
      audit: { ...result.audit, after: { status: 'discarded' }, actorId: actor.userId },
      // The releases follow below, one detail at a time (a draft of 20,000 details fits no transaction).
      effects: { ...result.effects, releasedTransactionIds: [], releasedMilestoneIds: [] },
    });
  }
  await ports.invoices.releaseDiscarded({ ...found, status: 'discarded' });
}
