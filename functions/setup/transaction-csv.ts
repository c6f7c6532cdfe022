import { createHash } from 'node:crypto';
import { isIsoDate } from '../domain/dates.ts';
import { ValidationFailed } from '../domain/errors.ts';
import { assertDecimal } from '../domain/money.ts';
import { validateTaxRate, type TaxRate } from '../domain/tax.ts';
import type { TransactionType } from '../domain/project.ts';

/**
 * CSV import of time and expense entries (README, "CSV import"): the file is parsed and EVERY row validated before
 * anything is written; a file with problems is refused with one (row, field, message) per problem. Dates and
 * decimals follow the locale chosen at upload: `nl` 31-12-2026 and 1.234,50 (`;` separated), `en` 2026-12-31 or
 * 31/12/2026 and 1,234.50 (`,` separated). Each row's `externalId` makes its transaction id, so importing the same
 * file again adds nothing.
 */
export type CsvLocale = 'nl' | 'en';

export interface CsvProblem {
  /** 1-based line of the file (the header is line 1). */
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export interface ImportRow {
  readonly id: string;
  readonly externalId: string;
  readonly type: TransactionType;
  readonly date: string;
  readonly contractLineId: string;
  readonly description: string;
  readonly quantity: string;
  readonly unit: string;
  readonly unitPrice: string;
  readonly tax: TaxRate;
  readonly resource: string | null;
  readonly orgUnit: string | null;
  readonly billingType: 'chargeable' | 'complimentary' | 'non_chargeable';
  readonly approved: boolean;
}

export const CSV_COLUMNS = [
  'externalId',
  'date',
  'type',
  'contractLineId',
  'description',
  'quantity',
  'unit',
  'unitPrice',
  'vatCode',
  'vatCategory',
  'vatRate',
] as const;
const OPTIONAL = ['resource', 'orgUnit', 'billingType', 'approved'] as const;

/** RFC 4180 records: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** A decimal written per locale ("1.234,5" nl, "1,234.5" en) as the API's decimal string ("1234.5"), or undefined. */
export function localDecimal(text: string, locale: CsvLocale): string | undefined {
  const [group, point] = locale === 'nl' ? ['.', ','] : [',', '.'];
  const trimmed = text.trim();
  const pattern = new RegExp(`^-?(\\d{1,3}(\\${group}\\d{3})+|\\d+)(\\${point}\\d+)?$`);
  if (!pattern.test(trimmed)) return undefined;
  const plain = trimmed.split(group).join('').replace(point, '.');
  try {
    return assertDecimal(plain, 'quantity');
  } catch {
    return undefined;
  }
}

/** A date written per locale as an ISO date, or undefined. */
export function localDate(text: string, locale: CsvLocale): string | undefined {
  const trimmed = text.trim();
  const dmy = (locale === 'nl' ? /^(\d{1,2})-(\d{1,2})-(\d{4})$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/).exec(trimmed);
  const iso = dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : trimmed;
  return isIsoDate(iso) ? iso : undefined;
}

const TYPES: readonly string[] = ['time', 'expense', 'material', 'fee'];
const YES = new Set(['yes', 'ja', 'true', '1', 'y', 'j']);
const NO = new Set(['no', 'nee', 'false', '0', 'n']);

export function importId(projectId: string, externalId: string): string {
  return `imp-${createHash('sha256').update(`${projectId}\u0000${externalId}`).digest('hex').slice(0, 24)}`;
}

/** Problems of the header and of the file's size (the rows are not read when there are any). */
function fileProblems(header: readonly string[], records: number): CsvProblem[] {
  const problems: CsvProblem[] = [];
  for (const column of CSV_COLUMNS)
    if (!header.includes(column))
      problems.push({ row: 1, field: column, message: `the header has no column ${column}` });
  for (const name of header)
    if (!(CSV_COLUMNS as readonly string[]).includes(name) && !(OPTIONAL as readonly string[]).includes(name))
      problems.push({ row: 1, field: name, message: 'unknown column' });
  if (records < 2) problems.push({ row: 1, field: 'csv', message: 'the file has no rows' });
  if (records > 2001) problems.push({ row: 1, field: 'csv', message: 'at most 2000 rows per file' });
  return problems;
}

/** The VAT columns as a tax rate, or a problem naming the column. */
function taxOf(
  value: (name: string) => string,
  locale: CsvLocale,
  problem: (field: string, message: string) => void,
): TaxRate | undefined {
  const rate = localDecimal(value('vatRate'), locale);
  try {
    return validateTaxRate(
      { code: value('vatCode'), category: value('vatCategory'), rate: rate ?? value('vatRate') } as TaxRate,
      'vat',
    );
  } catch (error) {
    const field = error instanceof ValidationFailed ? error.field : 'vat';
    const column = { 'vat.code': 'vatCode', 'vat.category': 'vatCategory', 'vat.rate': 'vatRate' }[field] ?? 'vatRate';
    problem(column, error instanceof Error ? error.message.replace(/^[^:]+: /, '') : String(error));
    return undefined;
  }
}

interface RowContext {
  readonly projectId: string;
  readonly locale: CsvLocale;
  readonly contractLineIds: ReadonlySet<string>;
  readonly header: readonly string[];
  /** External ids seen, with their rows (a second one is a problem). */
  readonly seen: Map<string, number>;
}

/** One row read and validated: the import row, or its problems added to `problems`. */
function readRow(record: readonly string[], row: number, context: RowContext, problems: CsvProblem[]) {
  const { header, locale, seen } = context;
  const value = (name: string) => (record[header.indexOf(name)] ?? '').trim();
  const problem = (field: string, message: string) => problems.push({ row, field, message });
  if (record.length !== header.length) problem('csv', `${record.length} fields, the header has ${header.length}`);
  const externalId = value('externalId');
  if (!/^[A-Za-z0-9][A-Za-z0-9._~:-]{0,63}$/.test(externalId))
    problem('externalId', 'required: letters, digits and . _ ~ : - (at most 64)');
  else if (seen.has(externalId)) problem('externalId', `the same as row ${seen.get(externalId)}`);
  else seen.set(externalId, row);
  const date = localDate(value('date'), locale);
  if (!date) problem('date', locale === 'nl' ? 'not a date (dd-mm-jjjj)' : 'not a date (yyyy-mm-dd or dd/mm/yyyy)');
  const type = value('type');
  if (!TYPES.includes(type)) problem('type', 'must be time, expense, material or fee');
  const contractLineId = value('contractLineId');
  if (!context.contractLineIds.has(contractLineId))
    problem('contractLineId', `the project has no contract line ${contractLineId}`);
  const description = value('description');
  if (description === '' || description.length > 500) problem('description', 'required, at most 500 characters');
  const quantity = localDecimal(value('quantity'), locale);
  if (!quantity) problem('quantity', locale === 'nl' ? 'not a number (1.234,5)' : 'not a number (1,234.5)');
  const unitPrice = localDecimal(value('unitPrice'), locale);
  if (!unitPrice) problem('unitPrice', locale === 'nl' ? 'not an amount (1.234,50)' : 'not an amount (1,234.50)');
  const unit = value('unit');
  if (unit === '' || unit.length > 20) problem('unit', 'required, at most 20 characters');
  const tax = taxOf(value, locale, problem);
  const billingType = value('billingType') || 'chargeable';
  if (!['chargeable', 'complimentary', 'non_chargeable'].includes(billingType))
    problem('billingType', 'must be chargeable, complimentary or non_chargeable');
  const approvedText = value('approved').toLowerCase();
  if (approvedText !== '' && !YES.has(approvedText) && !NO.has(approvedText)) problem('approved', 'must be yes or no');
  if (problems.some((p) => p.row === row)) return undefined;
  return {
    id: importId(context.projectId, externalId),
    externalId,
    type: type as TransactionType,
    date: date as string,
    contractLineId,
    description,
    quantity: quantity as string,
    unit,
    unitPrice: unitPrice as string,
    tax: tax as TaxRate,
    resource: value('resource') || null,
    orgUnit: value('orgUnit') || null,
    billingType: billingType as ImportRow['billingType'],
    approved: approvedText === '' || YES.has(approvedText),
  };
}

/** Parses and validates the whole file; rows only when there is no problem at all. */
export function readTransactionCsv(
  projectId: string,
  text: string,
  locale: CsvLocale,
  contractLineIds: ReadonlySet<string>,
): { rows: ImportRow[]; problems: CsvProblem[] } {
  const delimiter = locale === 'nl' ? ';' : ',';
  const records = parseCsv(text.replace(/^\uFEFF/, ''), delimiter).filter((r) => r.some((f) => f.trim() !== ''));
  const header = (records[0] ?? []).map((name) => name.trim());
  const problems = fileProblems(header, records.length);
  if (problems.length > 0) return { rows: [], problems };
  const context: RowContext = { projectId, locale, contractLineIds, header, seen: new Map() };
  const rows = records.slice(1).flatMap((record, index) => readRow(record, index + 2, context, problems) ?? []);
  return problems.length > 0 ? { rows: [], problems } : { rows, problems };
}
