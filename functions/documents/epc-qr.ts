import QRCode from 'qrcode';
import type { FirmProfile } from './firm.ts';

/**
 * The EPC QR code ("SEPA credit transfer", EPC069-12 v3.0, version 002): what a banking app reads to fill in a
 * transfer. Lines separated by LF: BCD, 002, 1 (UTF-8), SCT, BIC, beneficiary name (<= 70), IBAN, EUR amount,
 * purpose (empty), structured remittance (an ISO 11649 RF reference, <= 35) or unstructured remittance (<= 140).
 * Adopted: a Belgian structured communication goes in the unstructured field (the structured one is for RF
 * references in EPC069-12); the amount is the open amount when the invoice was issued (its total): the issued
 * PDF is frozen, the same bytes every time.
 */
export interface EpcPayment {
  readonly amountMinor: number;
  readonly reference: string;
}

export function epcPayload(firm: FirmProfile, payment: EpcPayment): string {
  if (!Number.isSafeInteger(payment.amountMinor) || payment.amountMinor < 1 || payment.amountMinor > 99_999_999_999)
    throw new Error('an EPC QR amount is EUR 0.01 to 999,999,999.99');
  const reference = payment.reference.replace(/\s/g, '');
  const structured = /^RF\d{2}[A-Z0-9]{1,21}$/i.test(reference);
  const amount = `EUR${Math.floor(payment.amountMinor / 100)}.${String(payment.amountMinor % 100).padStart(2, '0')}`;
  return [
    'BCD',
    '002',
    '1',
    'SCT',
    (firm.bic ?? '').replace(/\s/g, ''),
    firm.name.slice(0, 70),
    firm.iban.replace(/\s/g, '').toUpperCase(),
    amount,
    '',
    structured ? reference.toUpperCase() : '',
    structured ? '' : payment.reference.slice(0, 140),
  ].join('\n');
}

/** The QR code's modules (true = dark), error correction M as EPC069-12 asks. */
export function epcModules(payload: string): { size: number; dark(row: number, column: number): boolean } {
  const code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  return { size: code.modules.size, dark: (row, column) => code.modules.get(row, column) === 1 };
}
