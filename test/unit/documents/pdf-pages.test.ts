/**
 * PDF polish (issue 12 point 8), read back from the rendered bytes: page numbers with the total on every page, a
 * table continued on a new page repeats its title (marked as continued), descriptions and notes wrap in full with
 * nothing cut, type labels in the customer's language.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../functions/domain/index.ts';
import { renderInvoicePdf } from '../../../functions/documents/invoice-pdf.ts';
import { LABELS } from '../../../functions/documents/labels.ts';
import { detailsByLine } from '../../../functions/documents/pdf-tables.ts';
import { dutchCustomer, firm, issued, longText, multiPageInvoice, project, tx } from './fixtures.ts';
import { columnText, pageTexts, textItems, textOf } from './pdf-text.ts';

const names = { CL1: 'Advisory', CL2: 'Implementation' };
/** The description column's x (pdf-tables.ts COL.description). */
const DESCRIPTION_X = 110;
const DESCRIPTION_WIDTH = 180;
const squeeze = (s: string): string => s.replace(/\s+/g, '');
/** Every printed description in table order (details grouped per invoice line), white space removed. */
const allDescriptions = (invoice: Invoice): string =>
  squeeze([...detailsByLine(invoice).values()].flatMap((ds) => ds.map((d) => d.printedDescription)).join(''));

/** The group (title) of every detail marker `[mpNN]` / `[long]` / `[m1]` on the invoice. */
function groupOf(invoice: Invoice, lang: 'nl' | 'en'): Map<string, string> {
  const t = LABELS[lang];
  const groups = new Map<string, string>();
  for (const d of invoice.details) {
    const marker = /^\[([^\]]+)\]/.exec(d.printedDescription)?.[1] ?? d.printedDescription;
    groups.set(marker, `${names[d.contractLineId as 'CL1' | 'CL2']} — ${t.lineType[d.type]}`);
  }
  return groups;
}

async function checkPages(lang: 'nl' | 'en'): Promise<void> {
  const t = LABELS[lang];
  const invoice = multiPageInvoice(lang);
  const pdf = await renderInvoicePdf(invoice, firm, { contractLines: names, projectName: 'Website relaunch' });
  const pages = await pageTexts(pdf);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  const groups = groupOf(invoice, lang);
  let continued = 0;
  let previousGroup: string | null = null;
  pages.forEach((text, i) => {
    // every page says which page of how many it is
    expect(text).toContain(t.page(i + 1, pages.length));
    for (let other = 1; other <= pages.length + 1; other++)
      if (other !== i + 1) expect(text).not.toContain(t.page(other, pages.length));
    const markers = [...text.matchAll(/\[(mp\d\d|long|m1)\]/g)].map((m) => m[1]!);
    const first = markers[0];
    if (first !== undefined && groups.get(first) === previousGroup) {
      // the table goes on from the previous page: its title is repeated, marked as continued, before its rows
      const heading = `${previousGroup} ${t.continued}`;
      expect(text, `page ${i + 1}`).toContain(heading);
      expect(text.indexOf(heading)).toBeLessThan(text.indexOf(`[${first}]`));
      continued += 1;
    }
    if (markers.length > 0) previousGroup = groups.get(markers.at(-1)!) ?? null;
  });
  expect(continued, 'a table continues on a next page').toBeGreaterThan(0);
  const all = pages.join('\n');
  // the project's name, never its internal id
  expect(all).toContain(`${t.project}: Website relaunch`);
  expect(all).not.toContain('P-100');
  // every description whole, in order, in its column
  expect(await columnText(pdf, DESCRIPTION_X, DESCRIPTION_WIDTH, [t.description])).toBe(allDescriptions(invoice));
}

describe('PDF pages and tables', () => {
  it('Dutch: "Pagina n van N" on every page, continued tables repeat their title, nothing cut', async () => {
    await checkPages('nl');
  });

  it('English: "Page n of N", "(continued)", English type labels only', async () => {
    await checkPages('en');
    const text = await textOf(await renderInvoicePdf(multiPageInvoice('en'), firm, { contractLines: names }));
    for (const label of ['Advisory — Time', 'Advisory — Expenses', 'Advisory — Materials', 'Advisory — Fees'])
      expect(text).toContain(label);
    expect(text).toContain('Implementation — Milestones');
    expect(text).toContain('Subtotal Advisory — Time');
    for (const dutch of ['Uren', 'Onkosten', 'Materiaal', 'Vergoeding', 'Mijlpa', 'Pagina', 'vervolg', 'Subtotaal'])
      expect(text).not.toContain(dutch);
    const nl = await textOf(await renderInvoicePdf(multiPageInvoice('nl'), firm, { contractLines: names }));
    for (const label of ['Advisory — Uren', 'Advisory — Onkosten', 'Advisory — Materiaal', 'Advisory — Vergoedingen'])
      expect(nl).toContain(label);
  });

  it('prints a 2,000-character description whole, unbroken words included', async () => {
    const url = `https://example.com/${'q'.repeat(280)}?ref=OFF-2027-0042&x="é€"<>`;
    const description = `${longText('long', 1600)} ${url} ${longText('tail', 2000 - 1602 - url.length)}`;
    expect(description).toHaveLength(2000);
    const invoice = multiPageInvoice('nl', description);
    const pdf = await renderInvoicePdf(invoice, firm, { contractLines: names });
    const column = await columnText(pdf, DESCRIPTION_X, DESCRIPTION_WIDTH, [LABELS.nl.description]);
    expect(column).toContain(squeeze(description));
    expect(column).toContain(squeeze(url));
  });

  it('a note of 2,000 characters is printed whole', async () => {
    const base = issued(project(dutchCustomer), [tx('n1')]);
    const notes = `${longText('note', 1000)}\n${longText('more', 999)}`;
    const text = await textOf(await renderInvoicePdf({ ...base, notes }, firm));
    expect(squeeze(text)).toContain(squeeze(notes));
  });

  it('many details of random lengths never lose text, on any number of pages', { timeout: 240_000 }, async () => {
    const word = fc.oneof(
      fc.constantFrom('overleg', 'café', '€', '&', '<x>', '"q"', 'ß', '—', 'Straße', 'résumé'),
      fc.stringMatching(/^[a-z0-9]{1,12}$/),
      fc.stringMatching(/^[A-Za-z0-9.\-/]{40,160}$/), // wider than the column: broken between characters
    );
    // lengths drawn uniformly (fast-check's arrays favour short ones): 1 to 600 words, up to 14 details
    const description = fc
      .integer({ min: 1, max: 600 })
      .chain((n) => fc.array(word, { minLength: n, maxLength: n }))
      .map((words) => words.join(' '));
    let mostPages = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 14 }).chain((n) => fc.array(description, { minLength: n, maxLength: n })),
        fc.constantFrom('nl', 'en'),
        async (descriptions, language) => {
          const transactions = descriptions.map((d, i) =>
            tx(`p${i}`, { date: '2027-01-10', type: i % 3 === 0 ? 'expense' : 'time', printedDescription: d }),
          );
          const invoice = issued(project({ ...dutchCustomer, language }), transactions);
          const pdf = await renderInvoicePdf(invoice, firm, { contractLines: names });
          const t = LABELS[language];
          expect(await columnText(pdf, DESCRIPTION_X, DESCRIPTION_WIDTH, [t.description])).toBe(
            allDescriptions(invoice),
          );
          const pages = await pageTexts(pdf);
          pages.forEach((text, i) => {
            expect(text).toContain(t.page(i + 1, pages.length));
          });
          mostPages = Math.max(mostPages, pages.length);
          // and all of it inside the page's content area (above the footer, below the top margin)
          for (const item of await textItems(pdf))
            if (Math.abs(item.x - DESCRIPTION_X) < 0.5) expect(item.y, item.str).toBeGreaterThan(65);
        },
      ),
      { numRuns: 12, seed: 20270201 },
    );
    expect(mostPages, 'some invoices run over several pages').toBeGreaterThan(3);
  });
});
