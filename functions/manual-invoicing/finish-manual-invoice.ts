import type { BuildResult, Invoice, InvoiceDetail } from '../domain/index.ts';
import { storedHeader } from '../invoices/ports.ts';
import { type Actor, commandContext } from '../invoices/use-cases/context.ts';
import { Conflict, InvalidRequest } from '../shared/errors.ts';
import {
  build,
  decodeToken,
  type ManualParameters,
  manualInvoiceId,
  selection,
  type TokenContent,
} from './manual-invoicing.ts';
import type { InvoiceHeader, ManualInvoicingPorts } from './ports.ts';

/**
 * Finish (rules, section 5): builds again with the token's parameters, refuses (409, listing them) when the
 * selection differs from the token's, and creates the draft the way a run does: a `building` header, each
 * transaction reserved together with its detail (conditional on its version and on being unbilled), then draft.
 * The invoice id derives from the project and the Idempotency-Key, so a retry after a crash continues the same
 * draft, and a retry after it was finished answers the same draft.
 */
export async function finishManualInvoice(
  ports: ManualInvoicingPorts,
  projectId: string,
  token: string,
  idempotencyKey: string,
  actor: Actor,
  now: Date,
): Promise<InvoiceHeader> {
  const { drafts } = ports;
  const content = decodeToken(token);
  if (content.projectId !== projectId)
    throw new InvalidRequest('token', `the token is for project ${content.projectId}`);
  const { today } = commandContext(actor, now, ports.timeZone);
  const invoiceId = manualInvoiceId(projectId, idempotencyKey);
  const existing = await drafts.header(invoiceId);
  if (existing && existing.status !== 'building') return existing;
  const stored = existing ? await drafts.details(invoiceId) : [];
  const held = stored.flatMap((detail) =>
    detail.source.kind === 'transaction' ? [{ id: detail.source.transactionId, date: detail.date }] : [],
  );
  const built = await build(ports, projectId, invoiceId, idempotencyKey, content.parameters, today, held);
  const { result } = built;
  const differences = differencesOf(content, result);
  const refuse = async (detail: string, extras: Record<string, unknown>) => {
    if (existing) await abandon(ports, invoiceId, projectId);
    return new Conflict(detail, extras);
  };
  if (result.outcome !== 'draft') throw await refuse('there is nothing to invoice any more', { ...differences });
  if (differences.missing.length || differences.added.length) {
    throw await refuse('what would be invoiced changed since the preview; preview again', differences);
  }
  const customerId = built.context.customerId;
  const header = existing ?? storedHeader(result.invoice, 'building', now.toISOString(), customerId);
  if (!existing) await drafts.createBuilding(header);
  const heldIds = new Set(stored.map((detail) => detail.id));
  const taken = await reserveMissing(
    ports,
    invoiceId,
    projectId,
    result.invoice.details.filter((detail) => !heldIds.has(detail.id)),
  );
  if (taken.length) {
    await abandon(ports, invoiceId, projectId);
    throw new Conflict('some items were changed or taken by another invoice meanwhile; preview again', {
      changed: taken,
    });
  }
  const draft = storedHeader(result.invoice, 'draft', header.createdAt, customerId);
  return completeManualDraft(ports, result.invoice, draft, content.parameters, actor, now);
}

/** What changed since the preview: items of the token no longer selected, items selected now, items taken. */
function differencesOf(content: TokenContent, result: BuildResult) {
  const selected = selection(result);
  const wanted = new Set(content.items);
  const current = new Set(selected);
  return {
    missing: content.items.filter((item) => !current.has(item)),
    added: selected.filter((item) => !wanted.has(item)),
    onOtherInvoice: result.excluded.filter(
      (item) =>
        item.reason === 'on_other_invoice' &&
        content.items.some((chosen) => chosen.startsWith(`${item.kind[0]}:${item.id}`)),
    ),
  };
}

/** The building draft given up: its details released, its header dropped. */
async function abandon(ports: ManualInvoicingPorts, invoiceId: string, projectId: string): Promise<void> {
  await ports.drafts.release(invoiceId, projectId, await ports.drafts.details(invoiceId));
  await ports.drafts.dropBuilding(invoiceId);
}

/**
 * Reserves the details not held yet, chunk by chunk; stops at the first chunk with details another invoice took
 * (their ids are returned). Details held already were written by an earlier attempt of this Finish: skipped.
 */
async function reserveMissing(
  ports: ManualInvoicingPorts,
  invoiceId: string,
  projectId: string,
  missing: readonly InvoiceDetail[],
): Promise<string[]> {
  const { drafts } = ports;
  const taken: string[] = [];
  for (let start = 0; start < missing.length && taken.length === 0; start += drafts.reservationChunk) {
    let rest = missing.slice(start, start + drafts.reservationChunk);
    while (rest.length > 0) {
      const outcome = await drafts.reserve(invoiceId, projectId, rest);
      taken.push(...outcome.taken);
      const skipped = new Set([...outcome.taken, ...outcome.alreadyHeld]);
      rest = skipped.size === 0 ? [] : rest.filter((detail) => !skipped.has(detail.id));
    }
  }
  return taken;
}

/** The draft leaves `building` (once: a concurrent Finish that got there first wins) with its audit entry. */
async function completeManualDraft(
  ports: ManualInvoicingPorts,
  invoice: Invoice,
  draft: InvoiceHeader,
  parameters: ManualParameters,
  actor: Actor,
  now: Date,
): Promise<InvoiceHeader> {
  const { drafts } = ports;
  await drafts.replaceExcluded(invoice.id, invoice.excluded);
  if (!(await drafts.complete(draft))) {
    const current = await drafts.header(invoice.id);
    if (current && current.status !== 'building') return current;
    throw new Conflict('another request is finishing this invoice; try again', {});
  }
  await drafts.audit(invoice.id, {
    action: 'createManual',
    actor: actor.username,
    actorId: actor.userId,
    at: now.toISOString(),
    fromVersion: 0,
    toVersion: 1,
    before: {},
    after: { status: 'draft', total: draft.totals.total, parameters, detailCount: draft.detailCount },
  });
  return (await drafts.header(invoice.id)) ?? draft;
}
