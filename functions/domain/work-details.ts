/**
 * How recorded work becomes invoice details (rules section 2): a transaction's quantity x unit price (rounded once,
 * money.ts), a milestone's amount; reverse charge replaces the tax rate. Used by buildInvoice.
 */
import type { InvoiceDetail } from './invoice.ts';
import { assertDecimal, assertMinorUnits, detailNet, toMajor } from './money.ts';
import type { Milestone, Transaction } from './project.ts';
import { REVERSE_CHARGE, type TaxRate, validateTaxRate } from './tax.ts';

/** A billable transaction as a detail: quantity x unit price, net 0 and the value waived when complimentary. */
export function transactionDetail(t: Transaction, currency: string, reverseCharge: boolean): InvoiceDetail {
  const field = `transactions[${t.id}]`;
  const quantity = assertDecimal(t.quantity, `${field}.quantity`);
  const unitPrice = assertDecimal(t.unitPrice, `${field}.unitPrice`);
  const tax: TaxRate = reverseCharge ? REVERSE_CHARGE : validateTaxRate(t.tax, `${field}.tax`);
  const value = detailNet(quantity, unitPrice, currency);
  const complimentary = t.billingType === 'complimentary';
  return {
    id: `t:${t.id}`,
    source: { kind: 'transaction', transactionId: t.id, transactionVersion: t.version },
    contractLineId: t.contractLineId,
    type: t.type,
    date: t.date,
    description: t.description,
    printedDescription: t.printedDescription ?? t.description,
    resource: t.resource,
    orgUnit: t.orgUnit,
    quantity,
    unit: t.unit,
    unitPrice,
    billingType: complimentary ? 'complimentary' : 'chargeable',
    net: complimentary ? 0 : value,
    waived: complimentary ? value : 0,
    tax,
    originalQuantity: null,
    originalUnitPrice: null,
    corrects: null,
  };
}

/** A ready milestone as a detail of quantity 1 at its amount. */
export function milestoneDetail(m: Milestone, currency: string, reverseCharge: boolean): InvoiceDetail {
  const field = `milestones[${m.id}]`;
  const amount = assertMinorUnits(m.amount, `${field}.amount`);
  return {
    id: `m:${m.id}`,
    source: { kind: 'milestone', milestoneId: m.id },
    contractLineId: m.contractLineId,
    type: 'milestone',
    date: m.date,
    description: m.description,
    printedDescription: m.description,
    resource: null,
    orgUnit: null,
    // Adopted: a milestone is quantity 1 x its amount, so recalculation (quantity x price) reproduces the amount.
    quantity: '1',
    unit: 'milestone',
    unitPrice: toMajor(amount, currency),
    billingType: 'chargeable',
    net: amount,
    waived: 0,
    tax: reverseCharge ? REVERSE_CHARGE : validateTaxRate(m.tax, `${field}.tax`),
    originalQuantity: null,
    originalUnitPrice: null,
    corrects: null,
  };
}
