/** Editing a draft (draft, in_review): details, the header, Recalculate. */
import { compareByDateThenId } from '../build-invoice.ts';
import { assertIsoDate, type IsoDate } from '../dates.ts';
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { BillTo, CommandContext, DetailBillingType, Invoice } from '../invoice.ts';
import { type CustomerSnapshot, TRANSACTION_TYPES, type TransactionType } from '../project.ts';
import { assertDecimal, compareDecimal, type Decimal } from '../money.ts';
import { REVERSE_CHARGE, type TaxRate, validateTaxRate } from '../tax.ts';
import {
  canonicalJson,
  commit,
  derived,
  EDITABLE,
  edited,
  findDetail,
  priced,
  requireStatus,
  sendProblems,
} from './common.ts';
import { type CommandResult, NO_EFFECTS } from './effects.ts';

export interface EditDetailCommand {
  readonly detailId: string;
  readonly quantity?: Decimal;
  readonly unitPrice?: Decimal;
  readonly billingType?: DetailBillingType;
  readonly tax?: TaxRate;
  readonly description?: string;
  readonly printedDescription?: string;
}

export function editDetail(invoice: Invoice, command: EditDetailCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'edit');
  const detail = findDetail(invoice, command.detailId);
  if (detail.type === 'milestone' && (command.quantity !== undefined || command.unitPrice !== undefined)) {
    throw new ValidationFailed(
      command.quantity !== undefined ? 'quantity' : 'unitPrice',
      'milestone amounts are changed on the milestone, then refreshed',
    );
  }
  const quantity = command.quantity === undefined ? detail.quantity : assertDecimal(command.quantity, 'quantity');
  const unitPrice = command.unitPrice === undefined ? detail.unitPrice : assertDecimal(command.unitPrice, 'unitPrice');
  const billingType = command.billingType ?? detail.billingType;
  // Adopted: a detail is chargeable or complimentary; to make work non-chargeable remove it and change the transaction.
  if (billingType !== 'chargeable' && billingType !== 'complimentary') {
    throw new ValidationFailed(
      'billingType',
      'must be chargeable or complimentary; remove the detail to leave it unbilled',
    );
  }
  const quantityChanged = compareDecimal(quantity, detail.quantity) !== 0;
  const priceChanged = compareDecimal(unitPrice, detail.unitPrice) !== 0;
  const next = priced(
    {
      ...detail,
      quantity,
      unitPrice,
      billingType,
      tax: command.tax === undefined ? detail.tax : validateTaxRate(command.tax, 'tax'),
      description: command.description ?? detail.description,
      printedDescription: command.printedDescription ?? detail.printedDescription,
      // Keep the values from before the first edit.
      originalQuantity: detail.originalQuantity ?? (quantityChanged || priceChanged ? detail.quantity : null),
      originalUnitPrice: detail.originalUnitPrice ?? (quantityChanged || priceChanged ? detail.unitPrice : null),
    },
    invoice.currency,
  );
  const details = invoice.details.map((d) => (d === detail ? next : d));
  return edited(
    invoice,
    details,
    { removed: [detail], added: [next] },
    'editDetail',
    ctx,
    { detail },
    { detail: next },
  );
}

export function removeDetail(
  invoice: Invoice,
  command: { readonly detailId: string },
  ctx: CommandContext,
): CommandResult {
  requireStatus(invoice, EDITABLE, 'remove a detail from');
  const detail = findDetail(invoice, command.detailId);
  const details = invoice.details.filter((d) => d !== detail);
  return edited(
    invoice,
    details,
    { removed: [detail], added: [] },
    'removeDetail',
    ctx,
    { detail },
    { detail: null },
    {
      releasedTransactionIds: detail.source.kind === 'transaction' ? [detail.source.transactionId] : [],
      releasedMilestoneIds: detail.source.kind === 'milestone' ? [detail.source.milestoneId] : [],
    },
  );
}

/**
 * Makes a detail's work non-chargeable: the detail leaves the draft and its transaction goes back to the backlog as
 * non-chargeable (never billed). Only a detail billing a transaction can be (milestones and manual details cannot).
 */
export function makeNonChargeable(
  invoice: Invoice,
  command: { readonly detailId: string },
  ctx: CommandContext,
): CommandResult {
  requireStatus(invoice, EDITABLE, 'make a detail non-chargeable on');
  const detail = findDetail(invoice, command.detailId);
  if (detail.source.kind !== 'transaction')
    throw new InvalidTransition(
      invoice.status,
      'make this detail non-chargeable on',
      'only a detail billing a transaction can be made non-chargeable',
    );
  const details = invoice.details.filter((d) => d !== detail);
  return edited(
    invoice,
    details,
    { removed: [detail], added: [] },
    'makeNonChargeable',
    ctx,
    { detail },
    { detail: null },
    { nonChargeableTransactionIds: [detail.source.transactionId] },
  );
}

export interface AddManualDetailCommand {
  /** Id of the transaction created for it at Send (generated by the caller). */
  readonly transactionId: string;
  readonly type: TransactionType;
  readonly contractLineId: string;
  readonly date: IsoDate;
  readonly description: string;
  readonly printedDescription?: string;
  readonly resource?: string | null;
  readonly orgUnit?: string | null;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly tax: TaxRate;
  readonly billingType?: DetailBillingType;
}

export function addManualDetail(invoice: Invoice, command: AddManualDetailCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'add a detail to');
  if (!TRANSACTION_TYPES.includes(command.type))
    throw new ValidationFailed('type', 'must be time, expense, material or fee');
  const id = `x:${command.transactionId}`;
  if (invoice.details.some((d) => d.id === id))
    throw new ValidationFailed('transactionId', `detail ${id} already exists`);
  const billingType = command.billingType ?? 'chargeable';
  if (billingType !== 'chargeable' && billingType !== 'complimentary')
    throw new ValidationFailed('billingType', 'must be chargeable or complimentary');
  const detail = priced(
    {
      id,
      source: { kind: 'manual', transactionId: command.transactionId },
      contractLineId: command.contractLineId,
      type: command.type,
      date: assertIsoDate(command.date, 'date'),
      description: command.description,
      printedDescription: command.printedDescription ?? command.description,
      resource: command.resource ?? null,
      orgUnit: command.orgUnit ?? null,
      quantity: assertDecimal(command.quantity, 'quantity'),
      unit: command.unit,
      unitPrice: assertDecimal(command.unitPrice, 'unitPrice'),
      billingType,
      net: 0,
      waived: 0,
      tax: invoice.customer.reverseCharge === true ? REVERSE_CHARGE : validateTaxRate(command.tax, 'tax'),
      originalQuantity: null,
      originalUnitPrice: null,
      corrects: null,
    },
    invoice.currency,
  );
  const details = [...invoice.details, detail].sort(compareByDateThenId);
  return edited(
    invoice,
    details,
    { removed: [], added: [detail] },
    'addManualDetail',
    ctx,
    { detail: null },
    { detail },
  );
}

export interface EditHeaderCommand {
  /** BT-10 (contract 2), copied from the project to a new draft. */
  readonly buyerReference?: string | null;
  readonly poNumber?: string | null;
  readonly notes?: string | null;
  readonly billTo?: BillTo;
  readonly paymentTermsDays?: number;
}

export function editHeader(invoice: Invoice, command: EditHeaderCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'edit');
  if (
    command.paymentTermsDays !== undefined &&
    (!Number.isInteger(command.paymentTermsDays) || command.paymentTermsDays < 0 || command.paymentTermsDays > 365)
  ) {
    throw new ValidationFailed('paymentTermsDays', 'must be a whole number of days, 0 to 365');
  }
  if (command.billTo !== undefined && (typeof command.billTo.name !== 'string' || command.billTo.name.trim() === '')) {
    throw new ValidationFailed('billTo.name', 'must not be empty');
  }
  const header = (i: Invoice) => ({
    buyerReference: i.buyerReference ?? null,
    poNumber: i.poNumber,
    notes: i.notes,
    billTo: i.billTo,
    paymentTermsDays: i.paymentTermsDays,
  });
  const after: Invoice = {
    ...invoice,
    ...(command.buyerReference === undefined ? {} : { buyerReference: command.buyerReference }),
    poNumber: command.poNumber === undefined ? invoice.poNumber : command.poNumber,
    notes: command.notes === undefined ? invoice.notes : command.notes,
    billTo: command.billTo ?? invoice.billTo,
    paymentTermsDays: command.paymentTermsDays ?? invoice.paymentTermsDays,
  };
  return {
    invoice: commit(invoice, after, 'editHeader', ctx, header(invoice), header(after)),
    effects: { ...NO_EFFECTS, problems: sendProblems(after) },
  };
}

export interface RecalculateCommand {
  /** Current tax codes of the firm by code; details whose code is listed get its category and rate. */
  readonly taxRates?: Readonly<Record<string, TaxRate>>;
  /** Current customer data (re-read); replaces the snapshot until Send freezes it. */
  readonly customer?: CustomerSnapshot;
}

/**
 * Recomputes every detail net (quantity x price), tax per rate, totals and the not-to-exceed check, optionally
 * re-reading tax codes and customer data, and reports problems. Adopted: when nothing changes the invoice is returned
 * as is (same version, no audit entry), so calling it twice changes nothing.
 */
export function recalculate(invoice: Invoice, command: RecalculateCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'recalculate');
  const customer = command.customer ?? invoice.customer;
  const reverseCharge = customer.reverseCharge === true;
  const details = invoice.details.map((d) => {
    const current = command.taxRates?.[d.tax.code];
    const tax = reverseCharge
      ? REVERSE_CHARGE
      : current === undefined
        ? d.tax
        : validateTaxRate(current, `taxRates.${d.tax.code}`);
    const withTax =
      tax === d.tax || (tax.code === d.tax.code && tax.category === d.tax.category && tax.rate === d.tax.rate)
        ? d
        : { ...d, tax };
    return priced(withTax, invoice.currency);
  });
  const after = derived({ ...invoice, customer }, details);
  const problems = sendProblems(after);
  // Compared canonically: stored items come back with their keys in another order.
  const unchanged =
    canonicalJson([after.customer, after.details, after.lines, after.totals]) ===
    canonicalJson([invoice.customer, invoice.details, invoice.lines, invoice.totals]);
  if (unchanged) return { invoice, effects: { ...NO_EFFECTS, problems } };
  const before = new Set(invoice.details);
  return {
    invoice: commit(invoice, after, 'recalculate', ctx, { totals: invoice.totals }, { totals: after.totals }),
    effects: { ...NO_EFFECTS, putDetails: details.filter((d) => !before.has(d)), problems },
  };
}
