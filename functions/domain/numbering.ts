/**
 * Invoice numbers (rules section 6): one gapless sequence per firm, kind and calendar year of issue. The counter
 * lives in storage; these are the pure parts.
 */
import { assertIsoDate, type IsoDate } from './dates.ts';
import { ValidationFailed } from './errors.ts';
import type { InvoiceKind } from './invoice.ts';

const PREFIX: Readonly<Record<InvoiceKind, string>> = { invoice: 'INV', credit_note: 'CN' };

/** formatInvoiceNumber('invoice', 2027, 1) -> 'INV-2027-000001'; credit notes 'CN-2027-000001'. */
export function formatInvoiceNumber(kind: InvoiceKind, year: number, sequence: number): string {
  if (!Object.hasOwn(PREFIX, kind)) throw new ValidationFailed('kind', 'must be invoice or credit_note');
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw new ValidationFailed('year', 'must be a four-digit year');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999)
    throw new ValidationFailed('sequence', 'must be 1 to 999999');
  return `${PREFIX[kind]}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Key of the counter: one series per (firm, kind, year), e.g. 'firm-1#INV#2027'. */
export function numberSeriesKey(firmId: string, kind: InvoiceKind, year: number): string {
  if (firmId === '' || firmId.includes('#')) throw new ValidationFailed('firmId', "must be non-empty and without '#'");
  if (!Object.hasOwn(PREFIX, kind)) throw new ValidationFailed('kind', 'must be invoice or credit_note');
  return `${firmId}#${PREFIX[kind]}#${year}`;
}

/** The year of issue that picks the series. */
export function issueYear(issueDate: IsoDate): number {
  return Number(assertIsoDate(issueDate, 'issueDate').slice(0, 4));
}
