import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../functions/documents/invoice-pdf.ts';
import {
  dutchInvoice,
  firm,
  fullCreditNote,
  largeInvoice,
  longText,
  multiPageInvoice,
  reverseChargeInvoice,
  yenInvoice,
} from './fixtures.ts';

async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text;
}

const names = { CL1: 'Advisory', CL2: 'Implementation' };

describe('invoice PDF', () => {
  it('shows a legally complete Dutch invoice, amounts and dates formatted in Dutch', async () => {
    const invoice = dutchInvoice();
    const text = await textOf(await renderInvoicePdf(invoice, firm, { contractLines: names }));
    for (const expected of [
      'Factuur',
      'Polder Advies B.V.',
      'Keizersgracht 123',
      '1015 CJ Amsterdam',
      'KvK: 12345678',
      'Btw-nummer: NL859999999B01',
      'IBAN: NL91ABNA0417164300',
      'Bakkerij De Molen B.V.',
      'Dorpsstraat 1',
      '3511 AB Utrecht',
      'Factuurnummer: INV-2027-000001',
      'Factuurdatum: 1 februari 2027',
      'Vervaldatum: 15 februari 2027',
      'Periode: 05-01-2027 t/m 20-01-2027',
      'Workshop procesinrichting',
      '7,5 uur',
      '€ 95,00',
      '€ 712,50',
      '3 st.',
      '€ 12,35',
      '€ 37,05',
      'Kosteloos (waarde € 190,00 vervallen)',
      'Advisory — Uren',
      'Implementation — Mijlpalen',
      '€ 1.500,00',
      'Subtotaal excl. btw € 2.272,95',
      'Btw 9% over € 37,05 € 3,33',
      'Btw 21% over € 2.235,90 € 469,54',
      'Totaal incl. btw € 2.745,82',
      'onder vermelding van INV-2027-000001',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Gelieve € 2\.745,82 vóór 15 februari 2027 over te maken op IBAN NL91ABNA0417164300/);
    expect(text).not.toContain('BTW verlegd');
    expect(text).not.toContain('bijlage');
  });

  it('reverse charge abroad, in English: note, customer VAT number, no VAT', async () => {
    const invoice = reverseChargeInvoice();
    const text = await textOf(await renderInvoicePdf(invoice, firm));
    for (const expected of [
      'Invoice',
      'Invoice number: INV-2027-000002',
      'Invoice date: 1 February 2027',
      'Due date: 15 February 2027',
      'Date of supply: 10 January 2027',
      'VAT number: BE0123456789',
      'Brouwerij Zenne BV',
      'VAT reverse charged',
      'VAT reverse charged on €1,200.00 €0.00',
      'Subtotal excl. VAT €1,200.00',
      'Total incl. VAT €1,200.00',
      '10 h',
      '€120.00',
      'VAT number: NL859999999B01',
      'Chamber of Commerce (KvK): 12345678',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Please pay €1,200\.00 by 15 February 2027/);
  });

  it('JPY: no decimals', async () => {
    const text = await textOf(await renderInvoicePdf(yenInvoice(), firm));
    expect(text).toContain('Subtotal excl. VAT JP¥37,035');
    expect(text).toContain('VAT 21% on JP¥37,035 JP¥7,777');
    expect(text).toContain('Total incl. VAT JP¥44,812');
  });

  it('credit note: titled as such, referencing the corrected invoice, no payment request', async () => {
    const { invoice, creditNote } = fullCreditNote();
    const text = await textOf(
      await renderInvoicePdf(creditNote, firm, {
        creditFor: { number: invoice.number!, issueDate: invoice.issueDate },
      }),
    );
    expect(text).toContain('Creditnota');
    expect(text).toContain('Creditnotanummer: CN-2027-000001');
    expect(text).toContain('Correctie op factuur: INV-2027-000001 van 01-02-2027');
    expect(text).toContain('Creditnotadatum: 10 februari 2027');
    expect(text).toContain('Totaal incl. btw € -2.745,82');
    expect(text).toContain('Dit bedrag wordt verrekend met factuur INV-2027-000001.');
    // a waived value is a value, not a credit: printed positive
    expect(text).toContain('Kosteloos (waarde € 190,00 vervallen)');
    expect(text).toContain('Kosteloos geleverd: € 190,00 niet in rekening gebracht.');
    expect(text).not.toContain('Vervaldatum');
    expect(text).not.toContain('Gelieve');
  });

  it('is deterministic: the same invoice renders to identical bytes, with fixed dates and /ID', async () => {
    const invoice = dutchInvoice();
    const a = await renderInvoicePdf(invoice, firm);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const b = await renderInvoicePdf(dutchInvoice(), firm);
    expect(a.equals(b)).toBe(true);
    const raw = a.toString('latin1');
    // CreationDate and ModDate: the issue date, midnight UTC
    expect(raw.match(/\(D:20270201000000Z\)/g)?.length).toBe(2);
    expect(raw).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
  });

  it('embeds its TrueType fonts and uses no standard-14 font', async () => {
    const pdf = await renderInvoicePdf(reverseChargeInvoice(), firm);
    const raw = pdf.toString('latin1');
    expect(raw.match(/\/FontFile2/g)?.length).toBe(2); // regular and bold
    const baseFonts = [...raw.matchAll(/\/BaseFont \/([^\s/>]+)/g)].map((m) => m[1]);
    expect(baseFonts.length).toBeGreaterThan(0);
    for (const name of baseFonts) expect(name).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold)?$/);
    expect(raw).not.toMatch(/Helvetica|Times-Roman|Courier|ZapfDingbats|\/Symbol\b/);
    // the parser agrees: one page, readable text
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBe(1);
  });

  it('large invoice: summary lines first, details in an appendix', async () => {
    const invoice = largeInvoice(120);
    const pdf = await renderInvoicePdf(invoice, firm, { contractLines: names });
    const text = await textOf(pdf);
    const summaryAt = text.indexOf('Advisory — Uren');
    const appendixAt = text.indexOf('Bijlage: specificatie bij INV-2027-000042');
    expect(summaryAt).toBeGreaterThan(-1);
    expect(appendixAt).toBeGreaterThan(summaryAt);
    expect(text).toContain('De specificatie (120 regels) staat in de bijlage.');
    expect(text.indexOf('Totaal incl. btw')).toBeLessThan(appendixAt);
    // every detail is in the appendix (after the totals)
    expect(text.slice(appendixAt)).toContain('Werkzaamheden ticket #119');
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBeGreaterThan(2);
    // the same invoice below the threshold prints its details inline
    const inline = await textOf(
      await renderInvoicePdf(invoice, firm, { contractLines: names, appendixThreshold: 500 }),
    );
    expect(inline).not.toContain('Bijlage');
    expect(inline.indexOf('Werkzaamheden ticket #0 ')).toBeLessThan(inline.indexOf('Totaal incl. btw'));
  });

  it('lays out without overlapping text or text outside the margins', async () => {
    const { invoice, creditNote } = fullCreditNote();
    const cases = [
      await renderInvoicePdf(dutchInvoice(), firm, { contractLines: names }),
      await renderInvoicePdf(reverseChargeInvoice(), firm),
      await renderInvoicePdf(yenInvoice(), firm),
      await renderInvoicePdf(largeInvoice(120), firm, { contractLines: names }),
      await renderInvoicePdf(multiPageInvoice('nl'), firm, { contractLines: names, projectName: 'Website relaunch' }),
      await renderInvoicePdf(multiPageInvoice('en', longText('long', 9000)), firm, { contractLines: names }),
      await renderInvoicePdf(creditNote, firm, {
        creditFor: { number: invoice.number!, issueDate: invoice.issueDate },
      }),
    ];
    for (const pdf of cases) {
      const doc = await getDocumentProxy(new Uint8Array(pdf));
      for (let p = 1; p <= doc.numPages; p++) {
        const content = await (await doc.getPage(p)).getTextContent();
        const items = content.items.flatMap((i) =>
          'str' in i && i.str.trim() !== ''
            ? [{ str: i.str, x: i.transform[4] as number, y: i.transform[5] as number, w: i.width, h: i.height }]
            : [],
        );
        for (const a of items) {
          expect(a.x, a.str).toBeGreaterThanOrEqual(49);
          expect(a.x + a.w, a.str).toBeLessThanOrEqual(546);
          expect(a.y, a.str).toBeGreaterThan(20);
          for (const b of items) {
            if (a === b) continue;
            const vertical = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
            const horizontal = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
            expect(vertical > 1 && horizontal > 1, `"${a.str}" overlaps "${b.str}" on page ${p}`).toBe(false);
          }
        }
      }
    }
  });

  it('renders a 20,000-detail invoice within Lambda memory', { timeout: 180_000 }, async () => {
    const invoice = largeInvoice(20_000);
    globalThis.gc?.();
    const before = process.memoryUsage();
    const pdf = await renderInvoicePdf(invoice, firm);
    const after = process.memoryUsage();
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(300);
    const mb = (n: number): number => n / 1024 / 1024;
    // 1,024 MB Lambda: stay well below
    expect(mb(after.rss - before.rss)).toBeLessThan(600);
    expect(mb(after.heapUsed)).toBeLessThan(600);
    expect(mb(after.rss)).toBeLessThan(900);
  });
});
