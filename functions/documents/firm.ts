/** The firm issuing the documents (the FIRM/PROFILE item, see local/demo-data.ts). */
export interface FirmAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2, e.g. "NL". */
  readonly country: string;
}

export interface FirmProfile {
  readonly name: string;
  readonly address: FirmAddress;
  /** Btw-nummer / VAT identification number with country prefix, e.g. "NL859999999B01". */
  readonly vatNumber: string;
  /** KvK-nummer (Dutch Chamber of Commerce registration), 8 digits. */
  readonly chamberOfCommerce: string;
  readonly iban: string;
  readonly bic?: string;
  readonly email: string;
  readonly phone?: string;
  readonly website?: string;
  /** Firm setting (contract 6, portal): drafts are approved by a second billing user before Send. Default false. */
  readonly reviewBeforeSend?: boolean;
}
