import type { FirmProfile } from './firm.ts';
import { epcModules, epcPayload } from './epc-qr.ts';
import type { DocumentLanguage } from './format.ts';

/**
 * The payment block left of an invoice's totals: the payment reference and, for EUR invoices, the EPC QR code
 * ("Scan to pay") under it. Drawn as vector squares (no image), so it rasterizes sharply at any resolution. It starts
 * at the current line and returns where it ends; the caller draws the totals beside it and continues below both.
 */
interface Target {
  readonly doc: PDFKit.PDFDocument;
  /** false while the layout is only measured: nothing is drawn, the block's extent is the same. */
  readonly drawing: boolean;
  y: number;
  ensure(height: number): void;
}

const LABEL: Record<DocumentLanguage, { reference: string; scan: string }> = {
  nl: { reference: 'Betalingskenmerk', scan: 'Scan om te betalen' },
  en: { reference: 'Payment reference', scan: 'Scan to pay' },
};

export const QR_SIZE = 110;

export function paymentBlock(
  target: Target,
  firm: FirmProfile,
  payment: { reference: string; amountMinor: number; currency: string },
  language: DocumentLanguage,
  left: number,
  fontRegular: string,
  fontBold: string,
): number {
  const qr = payment.currency === 'EUR' && payment.amountMinor > 0;
  target.ensure((qr ? QR_SIZE + 16 : 0) + 30);
  if (!target.drawing) return qr ? target.y + 28 + QR_SIZE + 16 : target.y + 30;
  const { doc } = target;
  const label = LABEL[language] ?? LABEL.en;
  doc.font(fontBold).fontSize(9).fillColor('#000000');
  doc.text(label.reference, left, target.y, { lineBreak: false });
  doc.font(fontRegular).fontSize(9);
  doc.text(payment.reference, left, target.y + 12, { lineBreak: false });
  if (!qr) return target.y + 30;
  const modules = epcModules(epcPayload(firm, { amountMinor: payment.amountMinor, reference: payment.reference }));
  const quiet = 4;
  const cell = QR_SIZE / (modules.size + 2 * quiet);
  const top = target.y + 28;
  doc.save();
  doc.rect(left, top, QR_SIZE, QR_SIZE).fill('#ffffff');
  for (let row = 0; row < modules.size; row++)
    for (let column = 0; column < modules.size; column++)
      if (modules.dark(row, column)) doc.rect(left + (column + quiet) * cell, top + (row + quiet) * cell, cell, cell);
  doc.fill('#000000');
  doc.restore();
  doc.font(fontRegular).fontSize(8).fillColor('#555555');
  doc.text(label.scan, left + 4 * cell, top + QR_SIZE + 2, { lineBreak: false });
  return top + QR_SIZE + 16;
}
