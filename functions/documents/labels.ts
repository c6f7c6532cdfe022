/** Printed texts per document language. */
import type { LineType } from '../domain/invoice.ts';
import type { TaxCategory } from '../domain/tax.ts';
import type { DocumentLanguage } from './format.ts';

export interface Labels {
  readonly invoiceTitle: string;
  readonly creditNoteTitle: string;
  readonly invoiceNumber: string;
  readonly creditNoteNumber: string;
  readonly issueDate: string;
  readonly creditNoteDate: string;
  readonly buyerReference: string;
  /** What the VAT column prints instead of a bare "0%" (null: the rate). */
  readonly rateMention: (category: TaxCategory) => string | null;
  /** The legal mention printed under the totals for zero-rated categories. */
  readonly legalMention: Readonly<Record<'K' | 'G' | 'E' | 'O', string>>;
  readonly dueDate: string;
  readonly period: string;
  readonly supplyDate: string;
  readonly through: string;
  readonly yourReference: string;
  readonly project: string;
  readonly correctsInvoice: string;
  readonly of: string;
  readonly customerVat: string;
  readonly kvk: string;
  readonly vat: string;
  readonly iban: string;
  readonly bic: string;
  readonly date: string;
  readonly description: string;
  readonly quantity: string;
  readonly price: string;
  readonly vatRate: string;
  readonly amount: string;
  readonly details: string;
  readonly subtotalOf: string;
  readonly subtotal: string;
  readonly vatOver: (rate: string, category: TaxCategory, base: string) => string;
  readonly total: string;
  readonly complimentary: (value: string) => string;
  readonly waivedTotal: (value: string) => string;
  readonly reverseCharge: string;
  readonly reverseChargeExplanation: string;
  readonly payment: (amount: string, due: string, iban: string, name: string, reference: string) => string;
  readonly nothingToPay: string;
  readonly creditSettlement: (invoice: string) => string;
  readonly seeAppendix: (count: number) => string;
  readonly appendixTitle: (number: string) => string;
  /** The page footer: "Pagina 2 van 3" / "Page 2 of 3". */
  readonly page: (n: number, total: number) => string;
  /** After a table's title repeated on the next page. */
  readonly continued: string;
  readonly lineType: Readonly<Record<LineType, string>>;
  readonly unit: Readonly<Record<string, string>>;
}

const NL: Labels = {
  invoiceTitle: 'Factuur',
  creditNoteTitle: 'Creditnota',
  invoiceNumber: 'Factuurnummer',
  creditNoteNumber: 'Creditnotanummer',
  issueDate: 'Factuurdatum',
  creditNoteDate: 'Creditnotadatum',
  buyerReference: 'Referentie afnemer',
  rateMention: (category) =>
    ({ AE: 'btw verlegd', K: 'ICL 0%', G: 'uitvoer 0%', E: 'vrijgesteld', O: 'buiten btw' })[category as string] ??
    null,
  legalMention: {
    K: 'Intracommunautaire levering: 0% btw (art. 138 Btw-richtlijn), btw-nummer afnemer vermeld.',
    G: 'Uitvoer buiten de EU: 0% btw (art. 146 Btw-richtlijn).',
    E: 'Vrijgesteld van btw.',
    O: 'Buiten de reikwijdte van de Nederlandse btw: geen btw in rekening gebracht.',
  },
  dueDate: 'Vervaldatum',
  period: 'Periode',
  supplyDate: 'Leveringsdatum',
  through: 't/m',
  yourReference: 'Uw referentie',
  project: 'Project',
  correctsInvoice: 'Correctie op factuur',
  of: 'van',
  customerVat: 'Btw-nummer',
  kvk: 'KvK',
  vat: 'Btw',
  iban: 'IBAN',
  bic: 'BIC',
  date: 'Datum',
  description: 'Omschrijving',
  quantity: 'Aantal',
  price: 'Prijs',
  vatRate: 'Btw',
  amount: 'Bedrag',
  details: 'regels',
  subtotalOf: 'Subtotaal',
  subtotal: 'Subtotaal excl. btw',
  vatOver: (rate, category, base) =>
    category === 'AE'
      ? `BTW verlegd over ${base}`
      : category === 'E'
        ? `Vrijgesteld van btw over ${base}`
        : category === 'K'
          ? `Intracommunautaire levering over ${base}`
          : category === 'G'
            ? `Uitvoer buiten de EU over ${base}`
            : category === 'O'
              ? `Buiten de reikwijdte van de btw: ${base}`
              : `Btw ${rate} over ${base}`,
  total: 'Totaal incl. btw',
  complimentary: (value) => `Kosteloos (waarde ${value} vervallen)`,
  waivedTotal: (value) => `Kosteloos geleverd: ${value} niet in rekening gebracht.`,
  reverseCharge: 'BTW verlegd',
  reverseChargeExplanation: 'De btw is verlegd naar de afnemer (btw-heffing verlegd).',
  payment: (amount, due, iban, name, reference) =>
    `Gelieve ${amount} vóór ${due} over te maken op ${iban} t.n.v. ${name}, onder vermelding van ${reference}.`,
  nothingToPay: 'Er is niets te betalen.',
  creditSettlement: (invoice) => `Dit bedrag wordt verrekend met factuur ${invoice}.`,
  seeAppendix: (count) => `De specificatie (${count} regels) staat in de bijlage.`,
  appendixTitle: (number) => `Bijlage: specificatie bij ${number}`,
  page: (n, total) => `Pagina ${n} van ${total}`,
  continued: '(vervolg)',
  lineType: { time: 'Uren', expense: 'Onkosten', material: 'Materiaal', fee: 'Vergoedingen', milestone: 'Mijlpalen' },
  unit: { hour: 'uur', day: 'dag', piece: 'st.', pcs: 'st.', km: 'km', milestone: '', amount: '' },
};

const EN: Labels = {
  invoiceTitle: 'Invoice',
  creditNoteTitle: 'Credit note',
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note number',
  issueDate: 'Invoice date',
  creditNoteDate: 'Credit note date',
  buyerReference: 'Buyer reference',
  rateMention: (category) =>
    ({ AE: 'VAT reverse charged', K: 'intra-EU 0%', G: 'export 0%', E: 'exempt', O: 'outside scope' })[
      category as string
    ] ?? null,
  legalMention: {
    K: 'Intra-Community supply: VAT 0% (Article 138 VAT Directive); the customer’s VAT number is stated.',
    G: 'Export outside the EU: VAT 0% (Article 146 VAT Directive).',
    E: 'Exempt from VAT.',
    O: 'Outside the scope of Dutch VAT: no VAT charged.',
  },
  dueDate: 'Due date',
  period: 'Period',
  supplyDate: 'Date of supply',
  through: 'to',
  yourReference: 'Your reference',
  project: 'Project',
  correctsInvoice: 'Corrects invoice',
  of: 'of',
  customerVat: 'VAT number',
  kvk: 'Chamber of Commerce (KvK)',
  vat: 'VAT',
  iban: 'IBAN',
  bic: 'BIC',
  date: 'Date',
  description: 'Description',
  quantity: 'Quantity',
  price: 'Price',
  vatRate: 'VAT',
  amount: 'Amount',
  details: 'lines',
  subtotalOf: 'Subtotal',
  subtotal: 'Subtotal excl. VAT',
  vatOver: (rate, category, base) =>
    category === 'AE'
      ? `VAT reverse charged on ${base}`
      : category === 'E'
        ? `VAT exempt on ${base}`
        : category === 'K'
          ? `Intra-Community supply on ${base}`
          : category === 'G'
            ? `Export outside the EU on ${base}`
            : category === 'O'
              ? `Outside the scope of VAT: ${base}`
              : `VAT ${rate} on ${base}`,
  total: 'Total incl. VAT',
  complimentary: (value) => `Complimentary (value ${value} waived)`,
  waivedTotal: (value) => `Complimentary items: ${value} not charged.`,
  reverseCharge: 'VAT reverse charged',
  reverseChargeExplanation: 'VAT is to be accounted for by the customer (reverse charge).',
  payment: (amount, due, iban, name, reference) =>
    `Please pay ${amount} by ${due} to ${iban} in the name of ${name}, quoting ${reference}.`,
  nothingToPay: 'Nothing to pay.',
  creditSettlement: (invoice) => `This amount is settled against invoice ${invoice}.`,
  seeAppendix: (count) => `The itemisation (${count} lines) is in the appendix.`,
  appendixTitle: (number) => `Appendix: itemisation of ${number}`,
  page: (n, total) => `Page ${n} of ${total}`,
  continued: '(continued)',
  lineType: { time: 'Time', expense: 'Expenses', material: 'Materials', fee: 'Fees', milestone: 'Milestones' },
  unit: { hour: 'h', day: 'days', piece: 'pcs', pcs: 'pcs', km: 'km', milestone: '', amount: '' },
};

export const LABELS: Readonly<Record<DocumentLanguage, Labels>> = { nl: NL, en: EN };
