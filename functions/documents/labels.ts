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
  readonly page: (n: number) => string;
  readonly lineType: Readonly<Record<LineType, string>>;
  readonly unit: Readonly<Record<string, string>>;
}

const NL: Labels = {
  invoiceTitle: 'Factuur',
  creditNoteTitle: 'Creditnota',
  invoiceNumber: 'Factuurnummer',
  creditNoteNumber: 'Creditnotanummer',
  issueDate: 'Factuurdatum',
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
  page: (n) => `Pagina ${n}`,
  lineType: { time: 'Uren', expense: 'Onkosten', material: 'Materiaal', fee: 'Vergoedingen', milestone: 'Mijlpalen' },
  unit: { hour: 'uur', day: 'dag', piece: 'st.', pcs: 'st.', km: 'km', milestone: '', amount: '' },
};

const EN: Labels = {
  invoiceTitle: 'Invoice',
  creditNoteTitle: 'Credit note',
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note number',
  issueDate: 'Invoice date',
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
  page: (n) => `Page ${n}`,
  lineType: { time: 'Time', expense: 'Expenses', material: 'Materials', fee: 'Fees', milestone: 'Milestones' },
  unit: { hour: 'h', day: 'days', piece: 'pcs', pcs: 'pcs', km: 'km', milestone: '', amount: '' },
};

export const LABELS: Readonly<Record<DocumentLanguage, Labels>> = { nl: NL, en: EN };
