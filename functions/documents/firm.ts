import type { ElectronicAddress, PostalAddress } from '../domain/addresses.ts';

/** The firm issuing the documents (the FIRM/PROFILE item, see local/demo-data.ts). */
export interface FirmAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2, e.g. "NL". */
  readonly country: string;
}

import type { ReminderPlan } from '../domain/reminders.ts';

export interface FirmProfile {
  readonly name: string;
  /** The firm's address as first stored (already structured); `postalAddress` supersedes it when present. */
  readonly address: FirmAddress;
  /** Structured postal address (the same shape as a customer's). */
  readonly postalAddress?: PostalAddress;
  /** Peppol participant id; absent: the KvK number under EAS 0106. */
  readonly electronicAddress?: ElectronicAddress;
  /** Btw-nummer / VAT identification number with country prefix, e.g. "NL859999999B01". */
  readonly vatNumber: string;
  /** KvK-nummer (Dutch Chamber of Commerce registration), 8 digits. */
  readonly chamberOfCommerce: string;
  readonly iban: string;
  readonly bic?: string;
  readonly email: string;
  readonly phone?: string;
  readonly website?: string;
  /**
   * Payment reference format per customer country (ISO 3166-1 alpha-2 -> format); every other country gets
   * ISO 11649 (RF). E.g. `{ BE: 'belgian' }`: Belgian customers get the structured communication +++ddd/dddd/ddddd+++.
   */
  readonly paymentReferenceFormats?: Readonly<Record<string, 'iso11649' | 'belgian'>>;
  /**
   * Reminders (contract 6, branch reminders): the levels, their texts per language, and whether the final notice
   * states statutory commercial interest. Absent: the default plan without interest (functions/domain/reminders.ts).
   * Firm policy, read at each reminder run; not frozen into issued invoices.
   */
  readonly reminderPlan?: ReminderPlan;
}

/** The firm's postal address in the structured shape (from `postalAddress`, else from the stored `address`). */
export function firmPostalAddress(firm: FirmProfile): PostalAddress {
  if (firm.postalAddress) return firm.postalAddress;
  const a = firm.address;
  return {
    lines: [a.line1, ...(a.line2 ? [a.line2] : [])],
    postalCode: a.postalCode,
    city: a.city,
    subdivision: null,
    country: a.country,
  };
}

/** The firm's electronic address: its own, else its KvK number under EAS 0106. */
export function firmElectronicAddress(firm: FirmProfile): ElectronicAddress {
  return firm.electronicAddress ?? { scheme: '0106', identifier: firm.chamberOfCommerce };
}
