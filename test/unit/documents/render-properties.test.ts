/**
 * After numbering, rendering cannot fail for data reasons: for every amount, quantity, price, tax and currency the
 * API accepts (decimals up to 4, negative prices, complimentary details, every VAT category, 0-3 minor digits),
 * a draft that passes the pre-issue check renders both documents once issued, and the UBL exists exactly when the
 * check said so. What the check refuses is a ValidationFailed naming a field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInvoice,
  send,
  TAX_CATEGORIES,
  ValidationFailed,
  type TaxCategory,
  type TaxRate,
} from '../../../functions/domain/index.ts';
import { renderInvoicePdf } from '../../../functions/documents/invoice-pdf.ts';
import { renderInvoiceUbl } from '../../../functions/documents/invoice-ubl.ts';
import { checkBeforeIssue } from '../../../functions/documents/pre-issue-check.ts';
import { belgianCustomer, ctx, CUT_OFF, dutchCustomer, firm, project, RUN_DATE, tx } from './fixtures.ts';

const decimal = (maxInt: number, signed: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      signed ? fc.boolean() : fc.constant(false),
      fc.integer({ min: 0, max: maxInt }),
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 4 }),
    )
    .map(([negative, int, frac, digits]) => {
      const f = digits === 0 ? '' : `.${String(frac).padStart(4, '0').slice(0, digits)}`;
      return `${negative ? '-' : ''}${int}${f}`;
    });

const taxArb: fc.Arbitrary<TaxRate> = fc.constantFrom<TaxCategory>(...TAX_CATEGORIES).chain(
  (category): fc.Arbitrary<TaxRate> =>
    category === 'S' || category === 'AA'
      ? decimal(99, false)
          .filter((r) => Number(r) > 0)
          .map((rate): TaxRate => ({ code: `T-${category}`, category, rate }))
      : fc.constant<TaxRate>({ code: `T-${category}`, category, rate: '0' }),
);

const detailArb = fc.record({
  quantity: decimal(999, true),
  unitPrice: decimal(99_999, true),
  tax: taxArb,
  complimentary: fc.boolean(),
});

describe('documents render for every valid draft', () => {
  it('passes the check and renders, or is refused with a field', { timeout: 300_000 }, async () => {
    let rendered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('EUR', 'USD', 'JPY', 'BHD', 'KWD', 'GBP'),
        fc.constantFrom(dutchCustomer, belgianCustomer, { ...dutchCustomer, electronicAddress: null, taxId: null }),
        fc.array(detailArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(null, 'PO & <1> "é" €'),
        async (currency, customer, details, buyerReference) => {
          const built = buildInvoice({
            invoiceId: 'inv-p',
            origin: { kind: 'run' },
            project: project(customer, { currency, buyerReference }),
            transactions: details.map((d, i) =>
              tx(`d${i}`, {
                quantity: d.quantity,
                unitPrice: d.unitPrice,
                tax: d.tax,
                billingType: d.complimentary ? 'complimentary' : 'chargeable',
                printedDescription: `Detail ${i} & <é>`,
              }),
            ),
            milestones: [],
            runDate: RUN_DATE,
            cutOff: CUT_OFF,
          });
          if (built.outcome !== 'draft') return;
          let decision: ReturnType<typeof checkBeforeIssue>;
          let issued: ReturnType<typeof send>['invoice'];
          try {
            decision = checkBeforeIssue(built.invoice, firm);
            issued = send(built.invoice, { number: 'INV-2027-000001' }, ctx).invoice;
          } catch (error) {
            // Refused before numbering (the check, or the domain's own Send rules such as a negative total).
            expect(['ValidationFailed', 'InvalidTransition']).toContain((error as Error).name);
            if (error instanceof ValidationFailed) expect(error.field).not.toBe('');
            refused += 1;
            return;
          }
          rendered += 1;
          const pdf = await renderInvoicePdf(issued, firm);
          expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
          if (decision.send) expect(renderInvoiceUbl(issued, firm)).toContain('<Invoice ');
          else expect(() => renderInvoiceUbl(issued, firm)).toThrow(/no e-invoice/);
        },
      ),
      { numRuns: 80, seed: 12 },
    );
    expect(rendered).toBeGreaterThanOrEqual(8);
    expect(refused).toBeGreaterThan(0);
  });
});
