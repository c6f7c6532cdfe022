import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/** Dutch and English; default from the browser, remembered in localStorage. Amounts and dates per locale. */
export type Locale = 'en' | 'nl';

const en = {
  appName: 'factuur',
  skip: 'Skip to content',
  language: 'Language',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {user} ({roles})',
  signInTitle: 'Sign in to factuur',
  signInIntro: 'Project invoicing: review and send invoices, invoice projects manually, follow invoice runs.',
  loading: 'Loading…',
  navInvoices: 'Invoices',
  navManual: 'Invoice a project',
  navRuns: 'Invoice runs',
  navSetup: 'Setup data',
  mainNav: 'Main',
  error: 'Something went wrong: {message}',
  forbidden: 'Your role may not do this.',
  notFound: 'Not found.',
  retry: 'Try again',
  cancel: 'Cancel',
  save: 'Save',
  close: 'Close',
  back: 'Back',
  next: 'Next',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageN: 'Page {n}',
  none: 'None',
  all: 'All',
  // invoices
  invoicesTitle: 'Invoices',
  filters: 'Filters',
  status: 'Status',
  customer: 'Customer',
  project: 'Project',
  createdFrom: 'Created from',
  createdTo: 'Created to',
  applyFilters: 'Apply filters',
  clearFilters: 'Clear',
  invoice: 'Invoice',
  cutOff: 'Cut-off',
  total: 'Total',
  noInvoices: 'No invoices match.',
  invoiceList: 'Invoices, newest first',
  draftLabel: 'Draft {id}',
  'status.building': 'Being built',
  'status.draft': 'Draft',
  'status.in_review': 'In review',
  'status.issued': 'Sent',
  'status.partially_paid': 'Partially paid',
  'status.paid': 'Paid',
  'status.cancelled': 'Cancelled',
  'status.discarded': 'Discarded',
  // invoice
  details: 'Details',
  detailsCaption: 'Details {from}–{to} of {count}',
  date: 'Date',
  type: 'Type',
  description: 'Description',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  billingType: 'Billing type',
  net: 'Net',
  tax: 'VAT',
  paid: 'Paid',
  balance: 'Balance',
  totals: 'Totals',
  edit: 'Edit',
  editRow: 'Edit detail {n}',
  actions: 'Actions',
  'type.time': 'Time',
  'type.expense': 'Expense',
  'type.material': 'Material',
  'type.fee': 'Fee',
  'type.milestone': 'Milestone',
  'billing.chargeable': 'Chargeable',
  'billing.complimentary': 'Complimentary',
  'billing.non_chargeable': 'Non-chargeable',
  recalculate: 'Recalculate',
  recalculated: 'Recalculated. Total {total}.',
  saved: 'Saved. Total {total}.',
  send: 'Send to customer',
  sendTitle: 'Send invoice to customer',
  sendConfirm: 'The invoice gets its number and is e-mailed with PDF to {email}. A sent invoice cannot be changed.',
  sendNoEmail: 'The customer has no e-mail address; the invoice cannot be e-mailed.',
  sendNow: 'Send',
  sent: 'Sent as {number} to {email}.',
  sendUnavailable: 'Sending is not available yet on this server.',
  discard: 'Discard draft',
  discardConfirm: 'Discard this draft? Its work becomes invoiceable again.',
  discarded: 'The draft was discarded.',
  viewPdf: 'View PDF',
  openPdf: 'Open the PDF',
  pdfUnavailable: 'The PDF is not available yet.',
  markPaid: 'Mark as paid',
  payment: 'Payment',
  amount: 'Amount ({currency})',
  paymentDate: 'Payment date',
  method: 'Method',
  reference: 'Reference (optional)',
  recordPayment: 'Record payment',
  paymentRecorded: 'Payment recorded. Balance {balance}.',
  payments: 'Payments',
  noPayments: 'No payments yet.',
  reversed: 'reversed',
  amountInvalid: 'Enter an amount with at most {digits} decimals.',
  history: 'History',
  historyCaption: 'Changes, oldest first',
  when: 'When',
  who: 'Who',
  what: 'What',
  changes: 'Changes',
  conflict: 'Someone else changed this invoice (now version {version}) after you opened it. Your change was not saved. Reload to see their changes, then redo yours.',
  reload: 'Reload invoice',
  problems: 'Check these fields:',
  readOnly: 'Read only: your role may not change invoices.',
  version: 'Version {version}',
  invoiceNumber: 'Invoice {number}',
  issueDate: 'Invoice date',
  dueDate: 'Due date',
  currency: 'Currency',
  recipient: 'Recipient',
  // manual
  manualTitle: 'Invoice a project',
  manualIntro: 'Choose what to invoice; Next shows what the invoice would hold, Finish creates the draft.',
  chooseProject: 'Choose a project',
  transactionTypes: 'Transaction types',
  orgUnit: 'Organisational unit (optional)',
  milestones: 'Milestones ready for invoicing',
  noMilestones: 'No milestones are ready.',
  previewTitle: 'Preview',
  excluded: 'Not on this invoice',
  excludedCaption: 'Excluded items with their reason',
  reason: 'Reason',
  kind: 'Kind',
  item: 'Item',
  nothingToInvoice: 'Nothing to invoice with this selection.',
  finish: 'Finish',
  finishing: 'Creating the draft…',
  selectionChanged: 'The work changed since the preview (missing: {missing}; added: {added}; on another invoice: {other}). Show the preview again.',
  previewAgain: 'Preview again',
  'reason.filtered_out': 'Filtered out',
  'reason.after_cut_off': 'After the cut-off',
  'reason.not_approved': 'Not approved',
  'reason.on_hold': 'On hold',
  'reason.non_chargeable': 'Not chargeable',
  'reason.on_other_invoice': 'On another invoice',
  'reason.over_limit': 'Over the not-to-exceed limit',
  'kind.transaction': 'Transaction',
  'kind.milestone': 'Milestone',
  'reason.not_ready': 'Not ready',
  // runs
  runsTitle: 'Invoice runs',
  runDate: 'Run date',
  showRunDate: 'Show',
  runCounts: 'Runs on {date}: {total}',
  count: 'Count',
  'run.pending': 'Pending',
  'run.running': 'Running',
  'run.invoiced': 'Invoiced',
  'run.nothing_to_invoice': 'Nothing to invoice',
  'run.failed': 'Failed',
  failedRuns: 'Failed runs',
  failedCaption: 'Failed runs, newest run date first',
  noFailedRuns: 'No failed runs.',
  errorCol: 'Error',
  failedStep: 'Failed step',
  attempts: 'Attempts',
  restart: 'Restart',
  restartRun: 'Restart {project} {date}',
  restartAll: 'Restart all failed runs of {date}',
  restarted: 'Restarted {count} run(s) of {date}.',
  progress: 'Progress',
  runProgress: '{project} {date}: {status}',
  operatorOnly: 'Only operators may restart runs.',
  // setup
  setupTitle: 'Setup data',
  customers: 'Customers',
  projects: 'Projects',
  email: 'E-mail',
  name: 'Name',
  setupNote: 'Customers, projects, transactions and milestones are maintained through the API (admin).',
} as const;

export type MessageKey = keyof typeof en;

const nl: Record<MessageKey, string> = {
  appName: 'factuur',
  skip: 'Naar de inhoud',
  language: 'Taal',
  signIn: 'Inloggen',
  signOut: 'Uitloggen',
  signedInAs: 'Ingelogd als {user} ({roles})',
  signInTitle: 'Inloggen bij factuur',
  signInIntro: 'Projectfacturering: facturen controleren en versturen, projecten handmatig factureren, factuurruns volgen.',
  loading: 'Laden…',
  navInvoices: 'Facturen',
  navManual: 'Project factureren',
  navRuns: 'Factuurruns',
  navSetup: 'Stamgegevens',
  mainNav: 'Hoofdmenu',
  error: 'Er ging iets mis: {message}',
  forbidden: 'Uw rol mag dit niet.',
  notFound: 'Niet gevonden.',
  retry: 'Opnieuw proberen',
  cancel: 'Annuleren',
  save: 'Opslaan',
  close: 'Sluiten',
  back: 'Terug',
  next: 'Volgende',
  previousPage: 'Vorige pagina',
  nextPage: 'Volgende pagina',
  pageN: 'Pagina {n}',
  none: 'Geen',
  all: 'Alle',
  invoicesTitle: 'Facturen',
  filters: 'Filters',
  status: 'Status',
  customer: 'Klant',
  project: 'Project',
  createdFrom: 'Aangemaakt vanaf',
  createdTo: 'Aangemaakt tot en met',
  applyFilters: 'Filters toepassen',
  clearFilters: 'Wissen',
  invoice: 'Factuur',
  cutOff: 'Peildatum',
  total: 'Totaal',
  noInvoices: 'Geen facturen gevonden.',
  invoiceList: 'Facturen, nieuwste eerst',
  draftLabel: 'Concept {id}',
  'status.building': 'Wordt opgebouwd',
  'status.draft': 'Concept',
  'status.in_review': 'In controle',
  'status.issued': 'Verstuurd',
  'status.partially_paid': 'Deels betaald',
  'status.paid': 'Betaald',
  'status.cancelled': 'Geannuleerd',
  'status.discarded': 'Verworpen',
  details: 'Regels',
  detailsCaption: 'Regels {from}–{to} van {count}',
  date: 'Datum',
  type: 'Soort',
  description: 'Omschrijving',
  quantity: 'Aantal',
  unitPrice: 'Prijs per eenheid',
  billingType: 'Facturering',
  net: 'Netto',
  tax: 'Btw',
  paid: 'Betaald',
  balance: 'Openstaand',
  totals: 'Totalen',
  edit: 'Wijzigen',
  editRow: 'Regel {n} wijzigen',
  actions: 'Acties',
  'type.time': 'Uren',
  'type.expense': 'Onkosten',
  'type.material': 'Materiaal',
  'type.fee': 'Vergoeding',
  'type.milestone': 'Mijlpaal',
  'billing.chargeable': 'Factureerbaar',
  'billing.complimentary': 'Kosteloos',
  'billing.non_chargeable': 'Niet factureerbaar',
  recalculate: 'Herberekenen',
  recalculated: 'Herberekend. Totaal {total}.',
  saved: 'Opgeslagen. Totaal {total}.',
  send: 'Versturen naar klant',
  sendTitle: 'Factuur versturen naar de klant',
  sendConfirm: 'De factuur krijgt haar nummer en wordt met pdf gemaild naar {email}. Een verstuurde factuur kan niet meer worden gewijzigd.',
  sendNoEmail: 'De klant heeft geen e-mailadres; de factuur kan niet worden gemaild.',
  sendNow: 'Versturen',
  sent: 'Verstuurd als {number} naar {email}.',
  sendUnavailable: 'Versturen is op deze server nog niet beschikbaar.',
  discard: 'Concept verwerpen',
  discardConfirm: 'Dit concept verwerpen? Het werk wordt weer factureerbaar.',
  discarded: 'Het concept is verworpen.',
  viewPdf: 'Pdf bekijken',
  openPdf: 'De pdf openen',
  pdfUnavailable: 'De pdf is nog niet beschikbaar.',
  markPaid: 'Betaling registreren',
  payment: 'Betaling',
  amount: 'Bedrag ({currency})',
  paymentDate: 'Betaaldatum',
  method: 'Betaalwijze',
  reference: 'Kenmerk (optioneel)',
  recordPayment: 'Betaling vastleggen',
  paymentRecorded: 'Betaling vastgelegd. Openstaand {balance}.',
  payments: 'Betalingen',
  noPayments: 'Nog geen betalingen.',
  reversed: 'teruggedraaid',
  amountInvalid: 'Vul een bedrag in met hoogstens {digits} decimalen.',
  history: 'Geschiedenis',
  historyCaption: 'Wijzigingen, oudste eerst',
  when: 'Wanneer',
  who: 'Wie',
  what: 'Wat',
  changes: 'Wijzigingen',
  conflict: 'Iemand anders heeft deze factuur gewijzigd (nu versie {version}) nadat u haar opende. Uw wijziging is niet opgeslagen. Laad de factuur opnieuw en doe uw wijziging daarna nog eens.',
  reload: 'Factuur opnieuw laden',
  problems: 'Controleer deze velden:',
  readOnly: 'Alleen lezen: uw rol mag facturen niet wijzigen.',
  version: 'Versie {version}',
  invoiceNumber: 'Factuur {number}',
  issueDate: 'Factuurdatum',
  dueDate: 'Vervaldatum',
  currency: 'Valuta',
  recipient: 'Ontvanger',
  manualTitle: 'Project factureren',
  manualIntro: 'Kies wat u wilt factureren; Volgende toont wat de factuur zou bevatten, Voltooien maakt het concept.',
  chooseProject: 'Kies een project',
  transactionTypes: 'Soorten boekingen',
  orgUnit: 'Organisatie-eenheid (optioneel)',
  milestones: 'Mijlpalen klaar voor facturering',
  noMilestones: 'Er zijn geen mijlpalen klaar.',
  previewTitle: 'Voorbeeld',
  excluded: 'Niet op deze factuur',
  excludedCaption: 'Uitgesloten posten met de reden',
  reason: 'Reden',
  kind: 'Soort',
  item: 'Post',
  nothingToInvoice: 'Niets te factureren met deze keuze.',
  finish: 'Voltooien',
  finishing: 'Het concept wordt gemaakt…',
  selectionChanged: 'Het werk is veranderd sinds het voorbeeld (ontbreekt: {missing}; erbij: {added}; op een andere factuur: {other}). Toon het voorbeeld opnieuw.',
  previewAgain: 'Voorbeeld opnieuw',
  'reason.filtered_out': 'Weggefilterd',
  'reason.after_cut_off': 'Na de peildatum',
  'reason.not_approved': 'Niet goedgekeurd',
  'reason.on_hold': 'Aangehouden',
  'reason.non_chargeable': 'Niet factureerbaar',
  'reason.on_other_invoice': 'Op een andere factuur',
  'reason.over_limit': 'Boven het maximumbedrag',
  'kind.transaction': 'Boeking',
  'kind.milestone': 'Mijlpaal',
  'reason.not_ready': 'Niet klaar',
  runsTitle: 'Factuurruns',
  runDate: 'Rundatum',
  showRunDate: 'Tonen',
  runCounts: 'Runs op {date}: {total}',
  count: 'Aantal',
  'run.pending': 'Wachtend',
  'run.running': 'Bezig',
  'run.invoiced': 'Gefactureerd',
  'run.nothing_to_invoice': 'Niets te factureren',
  'run.failed': 'Mislukt',
  failedRuns: 'Mislukte runs',
  failedCaption: 'Mislukte runs, nieuwste rundatum eerst',
  noFailedRuns: 'Geen mislukte runs.',
  errorCol: 'Fout',
  failedStep: 'Mislukte stap',
  attempts: 'Pogingen',
  restart: 'Opnieuw starten',
  restartRun: '{project} {date} opnieuw starten',
  restartAll: 'Alle mislukte runs van {date} opnieuw starten',
  restarted: '{count} run(s) van {date} opnieuw gestart.',
  progress: 'Voortgang',
  runProgress: '{project} {date}: {status}',
  operatorOnly: 'Alleen operators mogen runs opnieuw starten.',
  setupTitle: 'Stamgegevens',
  customers: 'Klanten',
  projects: 'Projecten',
  email: 'E-mail',
  name: 'Naam',
  setupNote: 'Klanten, projecten, boekingen en mijlpalen worden via de API beheerd (admin).',
};

const messages: Record<Locale, Record<MessageKey, string>> = { en, nl };

export interface I18n {
  readonly locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** t() for keys built at run time (status.draft); falls back to the raw value. */
  tk(prefix: string, value: string): string;
  money(minor: number, currency: string): string;
  date(iso: string | undefined | null): string;
  dateTime(iso: string | undefined | null): string;
}

export function browserLocale(): Locale {
  const stored = window.localStorage.getItem('factuur.locale');
  if (stored === 'nl' || stored === 'en') return stored;
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  return languages.some((language) => language?.toLowerCase().startsWith('nl')) ? 'nl' : 'en';
}

/** The ISO 4217 minor-unit exponent, as Intl knows it (EUR 2, JPY 0, BHD 3). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units to an exact decimal string ("-1234.50"): string arithmetic, no floats. */
export function minorToDecimal(minor: number, exponent: number): string {
  const negative = minor < 0;
  const digits = BigInt(Math.trunc(Math.abs(minor))).toString().padStart(exponent + 1, '0');
  const text = exponent > 0 ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return negative ? `-${text}` : text;
}

/** A typed amount ("1.234,50" is refused: one decimal separator, . or ,) to integer minor units; undefined when invalid. */
export function decimalToMinor(text: string, exponent: number): number | undefined {
  const match = /^\s*(\d{1,15})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(match[1] + fraction.padEnd(exponent, '0'));
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(minor);
}

/** A decimal string ("12.5") formatted per locale, exactly. */
export function formatDecimal(locale: Locale, value: string): string {
  const fraction = value.split('.')[1]?.length ?? 0;
  return new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: fraction, maximumFractionDigits: fraction }).format(value as unknown as number);
}

function makeI18n(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  const tag = locale === 'nl' ? 'nl-NL' : 'en-GB';
  const table = messages[locale];
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    setLocale,
    t,
    tk: (prefix, value) => {
      const key = `${prefix}.${value}`;
      return key in table ? table[key as MessageKey] : value;
    },
    money: (minor, currency) => {
      const exponent = currencyExponent(currency);
      // Intl formats a decimal string exactly (no float rounding).
      const decimal = minorToDecimal(minor, exponent) as unknown as number;
      return new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(decimal);
    },
    date: (iso) => (iso ? dateFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : ''),
    dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : ''),
  };
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(browserLocale);
  const value = useMemo(() => {
    document.documentElement.lang = locale;
    return makeI18n(locale, (next) => {
      window.localStorage.setItem('factuur.locale', next);
      setLocaleState(next);
    });
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
