import {
  type AddManualDetailCommand,
  addManualDetail,
  type EditDetailCommand,
  editDetail,
  makeNonChargeable,
  removeDetail,
} from '../../domain/index.ts';
import { NotFound } from '../../shared/errors.ts';
import type { InvoicePorts } from '../ports.ts';
import { type Actor, applyResult, type ChangeOutcome, commandContext, draftWith, headerAt } from './context.ts';

/**
 * Detail edits of a draft: each reads the header and the one detail it touches (O(1) whatever the size of the
 * invoice: the domain adjusts the header's sums) and applies the command's effects in one atomic change.
 */
export type EditDetailInput = Omit<EditDetailCommand, 'detailId' | 'billingType'> & {
  readonly billingType?: 'chargeable' | 'complimentary' | 'non_chargeable';
};

async function detailDraft(ports: InvoicePorts, invoiceId: string, detailId: string, expectedVersion: number) {
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const detail = await ports.invoices.detail(invoiceId, detailId);
  if (!detail) throw new NotFound(`detail ${detailId} of invoice ${invoiceId}`);
  return { header, invoice: await draftWith(ports, header, [detail]) };
}

/**
 * Edits one detail. `non_chargeable` removes the detail and marks its transaction non-chargeable in the same change
 * (the domain keeps a detail chargeable or complimentary).
 */
export async function editInvoiceDetail(
  ports: InvoicePorts,
  invoiceId: string,
  detailId: string,
  expectedVersion: number,
  input: EditDetailInput,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  if (input.billingType === 'non_chargeable')
    return removeInvoiceDetail(ports, invoiceId, detailId, expectedVersion, actor, now, { nonChargeable: true });
  const { header, invoice } = await detailDraft(ports, invoiceId, detailId, expectedVersion);
  const { billingType, ...rest } = input;
  const result = editDetail(
    invoice,
    { detailId, ...rest, ...(billingType ? { billingType } : {}) },
    commandContext(actor, now, ports.timeZone),
  );
  return applyResult(ports, header, result, actor);
}

/** Removes one detail; its transaction (or milestone) becomes invoiceable again in the same change. */
export async function removeInvoiceDetail(
  ports: InvoicePorts,
  invoiceId: string,
  detailId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  options: { nonChargeable?: boolean } = {},
): Promise<ChangeOutcome> {
  const { header, invoice } = await detailDraft(ports, invoiceId, detailId, expectedVersion);
  const ctx = commandContext(actor, now, ports.timeZone);
  if (!options.nonChargeable) return applyResult(ports, header, removeDetail(invoice, { detailId }, ctx), actor);
  return applyResult(ports, header, makeNonChargeable(invoice, { detailId }, ctx), actor);
}

/**
 * Adds a manual detail (work not recorded as a transaction) to a draft: reads the header only, writes the header,
 * the new detail and the audit entry. Send creates its transaction, billed by this invoice.
 */
export async function addInvoiceDetail(
  ports: InvoicePorts,
  invoiceId: string,
  expectedVersion: number,
  command: AddManualDetailCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerAt(ports, invoiceId, expectedVersion);
  const existing = await ports.invoices.detail(invoiceId, `x:${command.transactionId}`);
  const invoice = await draftWith(ports, header, existing ? [existing] : []);
  return applyResult(
    ports,
    header,
    addManualDetail(invoice, command, commandContext(actor, now, ports.timeZone)),
    actor,
  );
}
