import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addManualDetail,
  approveReview,
  allocateTax,
  buildInvoice,
  creditNote,
  daysInMonth,
  detailTaxes,
  discard,
  editDetail,
  editHeader,
  groupTax,
  InvalidTransition,
  isoWeekday,
  frequencyGroup,
  isRunDate,
  recalculate,
  recordPayment,
  removeDetail,
  returnToDraft,
  reversePayment,
  runDates,
  send,
  submitForReview,
  toDayNumber,
  WEEKDAYS,
  type BuildInvoiceInput,
  type CreditDetailChoice,
  type InvoiceFrequency,
  type Invoice,
  type Occurrence,
  type RunRule,
  type TaxRate,
  type Transaction,
  type Weekday,
} from '../../../functions/domain/index.ts';
import { ctx, milestone, project, tx } from './fixtures.ts';

// ---------------------------------------------------------------------------------------------------------------
// Frequencies

const dateArb = fc
  .integer({ min: toDayNumber('2020-01-01'), max: toDayNumber('2032-12-31') })
  .map((n) => addDays('1970-01-01', n));
const weekdayArb = fc.constantFrom(...WEEKDAYS);

const frequencyArb: fc.Arbitrary<InvoiceFrequency> = fc
  .tuple(
    fc.oneof(
      weekdayArb.map((weekday) => ({
        period: 'weekly' as const,
        runDayMode: 'weekdayOfPeriod' as const,
        rules: [{ weekday }] as RunRule[],
      })),
      fc.integer({ min: 1, max: 14 }).map((day) => ({
        period: 'biweekly' as const,
        runDayMode: 'dayOfPeriod' as const,
        rules: [{ day }] as RunRule[],
      })),
      fc.tuple(weekdayArb, fc.constantFrom<Occurrence>('first', 'second')).map(([weekday, occurrence]) => ({
        period: 'biweekly' as const,
        runDayMode: 'weekdayOfPeriod' as const,
        rules: [{ weekday, occurrence }] as RunRule[],
      })),
      fc
        .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant('last' as const)), {
          minLength: 1,
          maxLength: 4,
        })
        .map((days) => ({
          period: 'monthly' as const,
          runDayMode: 'dayOfPeriod' as const,
          rules: days.map((day) => ({ day })) as RunRule[],
        })),
      fc
        .uniqueArray(fc.tuple(weekdayArb, fc.constantFrom<Occurrence>('first', 'second', 'third', 'fourth', 'last')), {
          minLength: 1,
          maxLength: 4,
          selector: ([w, o]) => `${w}:${o}`,
        })
        .map((pairs) => ({
          period: 'monthly' as const,
          runDayMode: 'weekdayOfPeriod' as const,
          rules: pairs.map(([weekday, occurrence]) => ({ weekday, occurrence })) as RunRule[],
        })),
    ),
    dateArb,
    fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  )
  .map(([shape, billingStart, endOffset]) => ({
    ...shape,
    runsPerPeriod: shape.rules.length,
    billingStart,
    ...(endOffset === undefined ? {} : { billingEnd: addDays(billingStart, endOffset) }),
  }));

const rangeArb = fc
  .tuple(dateArb, fc.integer({ min: 0, max: 400 }))
  .map(([from, length]) => ({ from, to: addDays(from, length) }));

const OCC: readonly Occurrence[] = ['first', 'second', 'third', 'fourth'];

/** Independent oracle: does `date` match a rule of the frequency (ignoring S and E)? Scans one day at a time. */
function matchesRule(f: InvoiceFrequency, date: string): boolean {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const dim = daysInMonth(y, m);
  const wd = WEEKDAYS[isoWeekday(date) - 1] as Weekday;
  return f.rules.some((rule) => {
    if (f.period === 'weekly') return 'weekday' in rule && rule.weekday === wd;
    if (f.period === 'biweekly') {
      const offset = (((toDayNumber(date) - toDayNumber(f.billingStart)) % 14) + 14) % 14;
      if ('day' in rule) return offset === (rule.day as number) - 1;
      return rule.weekday === wd && (rule.occurrence === 'first' ? offset < 7 : offset >= 7);
    }
    if ('day' in rule) return rule.day === 'last' ? day === dim : day === Math.min(rule.day, dim);
    if (rule.weekday !== wd) return false;
    return rule.occurrence === 'last'
      ? day + 7 > dim
      : OCC.indexOf(rule.occurrence as Occurrence) === Math.floor((day - 1) / 7);
  });
}

function oracleRunDates(f: InvoiceFrequency, from: string, to: string): string[] {
  const result: string[] = [];
  let closingFound = false;
  for (let d = f.billingStart > from ? f.billingStart : from; d <= to && !closingFound; d = addDays(d, 1)) {
    if (!matchesRule(f, d)) continue;
    if (f.billingEnd && d > f.billingEnd) closingFound = true;
    result.push(d);
  }
  // A closing run only counts if it is the first run after E (it may lie before `from`).
  if (f.billingEnd && closingFound) {
    const last = result[result.length - 1] as string;
    for (let d = addDays(f.billingEnd, 1); d < last; d = addDays(d, 1))
      if (matchesRule(f, d)) return result.slice(0, -1);
  }
  return result;
}

describe('run date properties', () => {
  it('run dates are sorted, unique, inside [from, to], not before S, and equal the day-by-day oracle', () => {
    fc.assert(
      fc.property(frequencyArb, rangeArb, (f, { from, to }) => {
        const dates = runDates(f, from, to);
        for (let i = 1; i < dates.length; i += 1) expect((dates[i - 1] as string) < (dates[i] as string)).toBe(true);
        for (const d of dates) {
          expect(d >= from && d <= to && d >= f.billingStart).toBe(true);
        }
        expect(dates).toEqual(oracleRunDates(f, from, to));
      }),
      { numRuns: 150 },
    );
  });

  it('a monthly frequency has as many runs per month as it has distinct run days there', () => {
    const monthly = frequencyArb
      .filter((f) => f.period === 'monthly')
      .map((f) => ({ ...f, billingStart: '2020-01-01', billingEnd: undefined }));
    fc.assert(
      fc.property(monthly, fc.integer({ min: 2020, max: 2032 }), fc.integer({ min: 1, max: 12 }), (f, y, m) => {
        const first = `${y}-${String(m).padStart(2, '0')}-01`;
        const last = addDays(first, daysInMonth(y, m) - 1);
        const distinct = new Set<number>();
        for (const rule of f.rules) {
          for (let d = first; d <= last; d = addDays(d, 1))
            if (matchesRule({ ...f, rules: [rule] }, d)) distinct.add(toDayNumber(d));
        }
        expect(distinct.size).toBeGreaterThanOrEqual(1);
        expect(runDates(f, first, last)).toHaveLength(distinct.size);
      }),
    );
  });

  it('isRunDate agrees with runDates', () => {
    fc.assert(
      fc.property(frequencyArb, rangeArb, fc.nat(400), (f, { from, to }, k) => {
        const dates = new Set(runDates(f, from, to));
        const probe = addDays(from, k % (toDayNumber(to) - toDayNumber(from) + 1));
        expect(isRunDate(f, probe)).toBe(dates.has(probe));
        for (const d of dates) expect(isRunDate(f, d)).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Invoices

const TAXES: readonly TaxRate[] = [
  { code: 'NL-HIGH', category: 'S', rate: '21' },
  { code: 'NL-LOW', category: 'AA', rate: '9' },
  { code: 'FR-LOW', category: 'AA', rate: '5.5' },
  { code: 'NL-ZERO', category: 'Z', rate: '0' },
];

const decimalArb = (maxInt: number, signed = false): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.integer({ min: signed ? -maxInt : 0, max: maxInt }),
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 4 }),
    )
    .map(([i, f, places]) => {
      const frac = places === 0 ? '' : `.${String(f).padStart(4, '0').slice(0, places)}`;
      return `${i < 0 ? '-' : ''}${Math.abs(i)}${frac}`;
    });

const transactionArb = (id: string): fc.Arbitrary<Transaction> =>
  fc
    .record({
      type: fc.constantFrom('time', 'expense', 'material', 'fee' as const),
      day: fc.integer({ min: 1, max: 40 }),
      quantity: decimalArb(50),
      unitPrice: decimalArb(500),
      tax: fc.constantFrom(...TAXES),
      billingType: fc.constantFrom(
        'chargeable',
        'chargeable',
        'chargeable',
        'complimentary',
        'non_chargeable',
        'not_available' as const,
      ),
      approved: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      onHold: fc.boolean(),
      reserved: fc.integer({ min: 0, max: 9 }),
      contractLineId: fc.constantFrom('CL1', 'CL3'),
    })
    .map((r) =>
      tx(id, {
        type: r.type,
        date: addDays('2026-12-31', r.day),
        quantity: r.quantity,
        unitPrice: r.unitPrice,
        tax: r.tax,
        billingType: r.billingType,
        approved: r.approved,
        onHold: r.onHold && r.day % 3 === 0,
        reservedBy: r.reserved === 0 ? 'OTHER' : null,
        contractLineId: r.contractLineId,
      }),
    );

const transactionsArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => transactionArb(`t${String(i).padStart(3, '0')}`))));

const inputArb: fc.Arbitrary<BuildInvoiceInput> = fc
  .tuple(transactionsArb, fc.option(fc.integer({ min: 0, max: 5000_00 }), { nil: null }), fc.boolean())
  .map(([transactions, limit, withMilestone]) => ({
    invoiceId: 'I1',
    origin: { kind: 'run' as const },
    project: project({
      contractLines: [
        { id: 'CL1', description: 'T&M', billingMethod: 'time_and_material', notToExceed: limit, consumed: 100_00 },
        { id: 'CL2', description: 'Fixed', billingMethod: 'fixed_price' },
        { id: 'CL3', description: 'T&M 2', billingMethod: 'time_and_material' },
      ],
    }),
    transactions,
    milestones: withMilestone ? [milestone('m1')] : [],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  }));

function draftOf(input: BuildInvoiceInput): Invoice | null {
  const result = buildInvoice(input);
  return result.outcome === 'draft' ? result.invoice : null;
}

const draftArb = inputArb.map(draftOf).filter((d): d is Invoice => d !== null);

/** An issuable draft: a billable detail, an email and total >= 0 are guaranteed by construction. */
const issuableArb = draftArb.map((d) => {
  if (sendable(d)) return d;
  return addManualDetail(
    d,
    {
      transactionId: 'extra',
      type: 'fee',
      contractLineId: 'CL2',
      date: '2027-01-01',
      description: 'fee',
      quantity: '1',
      unit: 'u',
      unitPrice: '1000',
      tax: TAXES[0] as TaxRate,
    },
    ctx,
  ).invoice;
});

function sendable(d: Invoice): boolean {
  return d.totals.total >= 0 && d.details.some((x) => x.billingType === 'chargeable');
}

/** Independent oracle of group tax: BigInt, half away from zero. Rates have at most 1 decimal here. */
function oracleTax(net: number, rate: string): number {
  const tenths = BigInt(Math.round(Number(rate) * 10));
  const numerator = BigInt(net) * tenths; // tax x 1000
  const abs = numerator < 0n ? -numerator : numerator;
  const rounded = (abs + 500n) / 1000n;
  return Number(numerator < 0n ? -rounded : rounded);
}

describe('invoice properties', () => {
  it('totals equal the sum of the lines and details; VAT per rate is exact and allocations sum to it', () => {
    fc.assert(
      fc.property(draftArb, (d) => {
        const sum = (xs: readonly { net: number }[]): number => xs.reduce((s, x) => s + x.net, 0);
        expect(d.totals.net).toBe(sum(d.lines));
        expect(d.totals.net).toBe(sum(d.details));
        expect(d.lines.reduce((s, l) => s + l.detailCount, 0)).toBe(d.details.length);
        expect(d.totals.total).toBe(d.totals.net + d.totals.tax);
        expect(d.totals.tax).toBe(d.totals.taxes.reduce((s, g) => s + g.tax, 0));
        const perDetail = detailTaxes(d.details);
        for (const g of d.totals.taxes) {
          const members = d.details.filter((x) => `${x.tax.category}|${Number(x.tax.rate)}` === g.key);
          expect(g.net).toBe(sum(members));
          expect(g.tax).toBe(oracleTax(g.net, g.rate));
          expect(members.reduce((s, x) => s + (perDetail.get(x.id) ?? NaN), 0)).toBe(g.tax);
        }
      }),
    );
  });

  it('largest-remainder allocation sums to the group tax and stays within one unit of each exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 30 }),
        fc.constantFrom('21', '9', '5.5', '0', '19.6'),
        (nets, rate) => {
          const alloc = allocateTax(nets, rate);
          expect(alloc.reduce((a, b) => a + b, 0)).toBe(
            groupTax(
              nets.reduce((a, b) => a + b, 0),
              rate,
            ),
          );
          alloc.forEach((a, i) => {
            expect(Math.abs(a - ((nets[i] as number) * Number(rate)) / 100)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('respects the not-to-exceed limit', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = draftOf(input);
        const line = input.project.contractLines[0];
        if (d === null || line?.notToExceed == null) return;
        const used = d.details.filter((x) => x.contractLineId === 'CL1').reduce((s, x) => s + x.net, 0);
        const taken = d.details.filter((x) => x.contractLineId === 'CL1').length;
        if (taken > 0) expect((line.consumed ?? 0) + used).toBeLessThanOrEqual(line.notToExceed);
      }),
    );
  });

  it('building is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const shuffled = [...input.transactions]
          .map((t, i) => ({ t, k: (i * 7919 + seed) % 1009 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.t);
        expect(buildInvoice({ ...input, transactions: shuffled })).toEqual(buildInvoice(input));
      }),
    );
  });

  it('discarding releases every reserved transaction and milestone', () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (input, review) => {
        const result = buildInvoice(input);
        if (result.outcome !== 'draft') return;
        const invoice = review ? submitForReview(result.invoice, {}, ctx).invoice : result.invoice;
        const { effects } = discard(invoice, {}, ctx);
        expect([...effects.releasedTransactionIds].sort()).toEqual(result.reserve.transactions.map((t) => t.id).sort());
        expect([...effects.releasedMilestoneIds].sort()).toEqual([...result.reserve.milestoneIds].sort());
      }),
    );
  });

  it('recalculate is idempotent, also after edits', () => {
    fc.assert(
      fc.property(draftArb, decimalArb(20), fc.constantFrom(...TAXES), (d, quantity, tax) => {
        const first = d.details[0];
        const edited =
          first === undefined || first.type === 'milestone'
            ? d
            : editDetail(d, { detailId: first.id, quantity }, ctx).invoice;
        const command = { taxRates: { [tax.code]: { ...tax, rate: tax.rate === '0' ? '0' : '20' } } };
        const once = recalculate(edited, command, ctx).invoice;
        const twice = recalculate(once, command, ctx).invoice;
        expect(twice).toBe(once);
        expect(recalculate(once, {}, ctx).invoice).toBe(once);
      }),
    );
  });

  it('a full credit note plus its invoice sum to zero', () => {
    fc.assert(
      fc.property(issuableArb, fc.nat(), (d, paid) => {
        let issued = send(d, { number: 'INV-2027-000001' }, ctx).invoice;
        if (issued.totals.balance > 0) {
          issued = recordPayment(
            issued,
            {
              paymentId: 'p1',
              amount: 1 + (paid % issued.totals.balance),
              currency: 'EUR',
              date: '2027-02-02',
              method: 'bank',
            },
            ctx,
          ).invoice;
        }
        const { invoice, creditNote: cn } = creditNote(
          issued,
          { creditNoteId: 'C1', number: 'CN-2027-000001', full: true },
          ctx,
        );
        expect(cn.totals.total + issued.totals.total).toBe(0);
        expect(cn.totals.net + issued.totals.net).toBe(0);
        expect(cn.totals.tax + issued.totals.tax).toBe(0);
        expect(cn.details).toHaveLength(issued.details.length);
        expect(invoice.status).toBe('cancelled');
        expect(invoice.totals.balance + invoice.totals.paid).toBe(0);
      }),
    );
  });

  it('partial credits in pieces never credit more than a detail and add up to the whole invoice net', () => {
    fc.assert(
      fc.property(issuableArb, fc.integer({ min: 1, max: 9999 }), (d, tenThousandths) => {
        let invoice = send(d, { number: 'INV-2027-000001' }, ctx).invoice;
        let creditedNet = 0;
        let n = 0;
        for (const detail of invoice.details) {
          if (Number(detail.quantity) <= 0) continue;
          const pieces: CreditDetailChoice[] = [];
          const first = (Math.floor(Number(detail.quantity) * tenThousandths) / 10_000).toFixed(4);
          if (detail.type !== 'milestone' && Number(first) > 0 && Number(first) < Number(detail.quantity))
            pieces.push({ detailId: detail.id, quantity: first });
          pieces.push({ detailId: detail.id }); // the rest (milestones: whole)
          for (const piece of pieces) {
            n += 1;
            const r = creditNote(invoice, { creditNoteId: `C${n}`, number: `CN-2027-${n}`, details: [piece] }, ctx);
            creditedNet += r.creditNote.totals.net;
            invoice = r.invoice;
          }
        }
        expect(
          creditedNet + invoice.details.filter((x) => Number(x.quantity) > 0).reduce((sum, x) => sum + x.net, 0),
        ).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('no command but a payment or a credit changes an issued invoice', () => {
    const attempts: Record<string, (i: Invoice) => unknown> = {
      submitForReview: (i) => submitForReview(i, {}, ctx),
      returnToDraft: (i) => returnToDraft(i, { comment: 'x' }, ctx),
      approveReview: (i) => approveReview(i, {}, { ...ctx, actor: 'someone else' }),
      editDetail: (i) => editDetail(i, { detailId: i.details[0]?.id ?? 'x', printedDescription: 'x' }, ctx),
      removeDetail: (i) => removeDetail(i, { detailId: i.details[0]?.id ?? 'x' }, ctx),
      addManualDetail: (i) =>
        addManualDetail(
          i,
          {
            transactionId: 'n',
            type: 'fee',
            contractLineId: 'CL1',
            date: '2027-01-01',
            description: 'x',
            quantity: '1',
            unit: 'u',
            unitPrice: '1',
            tax: TAXES[0] as TaxRate,
          },
          ctx,
        ),
      editHeader: (i) => editHeader(i, { notes: 'x' }, ctx),
      recalculate: (i) => recalculate(i, {}, ctx),
      send: (i) => send(i, { number: 'INV-2027-000002' }, ctx),
      discard: (i) => discard(i, {}, ctx),
      reversePaymentOfNothing: (i) =>
        reversePayment(i, { paymentId: 'none', reversalId: 'r', date: '2027-02-02' }, ctx),
    };
    fc.assert(
      fc.property(issuableArb, fc.constantFrom(...Object.keys(attempts)), fc.boolean(), (d, name, paidFirst) => {
        let issued = send(d, { number: 'INV-2027-000001' }, ctx).invoice;
        if (paidFirst && issued.totals.balance > 0)
          issued = recordPayment(
            issued,
            {
              paymentId: 'p',
              amount: issued.totals.balance,
              currency: issued.currency,
              date: '2027-02-02',
              method: 'bank',
            },
            ctx,
          ).invoice;
        const snapshot = JSON.stringify(issued);
        const attempt = attempts[name] as (i: Invoice) => unknown;
        if (name === 'reversePaymentOfNothing' && issued.status === 'paid') {
          expect(() => attempt(issued)).toThrowError(expect.objectContaining({ field: 'paymentId' }) as Error);
        } else {
          expect(() => attempt(issued)).toThrowError(InvalidTransition);
        }
        expect(JSON.stringify(issued)).toBe(snapshot);
      }),
    );
  });
});

describe('frequency groups (how a run finds the projects due on a date)', () => {
  it('a project has a run on D exactly when its group pattern has one and D lies within its own start and closing run', () => {
    fc.assert(
      fc.property(frequencyArb, rangeArb, (f, { from, to }) => {
        const group = frequencyGroup(f);
        const own = new Set(runDates(f, from, to));
        const closing = f.billingEnd ? runDates(f, f.billingStart, addDays(f.billingEnd, 70)).at(-1) : undefined;
        for (const d of runDates(group.pattern, from, to)) {
          const inside = d >= f.billingStart && (closing === undefined || d <= closing);
          expect(own.has(d)).toBe(inside);
        }
        for (const d of own) expect(isRunDate(group.pattern, d)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives one key to frequencies that differ only in start, end, or rule order, and another to other anchors', () => {
    const monthly = {
      period: 'monthly',
      runsPerPeriod: 2,
      runDayMode: 'dayOfPeriod',
      billingStart: '2027-01-01',
    } as const;
    expect(frequencyGroup({ ...monthly, rules: [{ day: 15 }, { day: 'last' }] }).key).toBe(
      frequencyGroup({
        ...monthly,
        rules: [{ day: 'last' }, { day: 15 }],
        billingStart: '2030-05-05',
        billingEnd: '2031-01-01',
      }).key,
    );
    const biweekly = { period: 'biweekly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [{ day: 14 }] } as const;
    expect(frequencyGroup({ ...biweekly, billingStart: '2027-01-07' }).key).toBe(
      frequencyGroup({ ...biweekly, billingStart: '2027-01-21' }).key,
    );
    expect(frequencyGroup({ ...biweekly, billingStart: '2027-01-07' }).key).not.toBe(
      frequencyGroup({ ...biweekly, billingStart: '2027-01-08' }).key,
    );
  });
});
