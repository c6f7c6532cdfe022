import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Invoice } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { documentLanguage, formatDateLong, formatMoney } from '../documents/format.ts';

/**
 * The e-mail that carries an issued invoice (or credit note) to the customer: a short text in the customer's
 * language with the amount and due date, the PDF and (when there is one) the UBL e-invoice attached. Its Message-ID and Date come from
 * the delivery, so a retried delivery composes the same message (MIME boundaries aside).
 */
export interface InvoiceEmail {
  readonly from: string;
  readonly to: string;
  readonly deliveryId: string;
  /** ISO instant the delivery was queued. */
  readonly queuedAt: string;
  /** The payment reference to quote (else the number). */
  readonly paymentReference?: string;
}

export async function composeInvoiceEmail(
  invoice: Invoice,
  firm: FirmProfile,
  pdf: Buffer,
  ubl: Buffer | string | null,
  email: InvoiceEmail,
): Promise<Buffer> {
  const language = documentLanguage(invoice.customer.language);
  const number = invoice.number ?? invoice.id;
  const credit = invoice.kind === 'credit_note';
  const amount = formatMoney(invoice.totals.total, invoice.currency, language);
  const due = invoice.dueDate ? formatDateLong(invoice.dueDate, language) : '';
  const nl = language === 'nl';
  const quote = email.paymentReference ?? number;
  const subject = credit
    ? nl
      ? `Creditnota ${number} van ${firm.name}`
      : `Credit note ${number} from ${firm.name}`
    : nl
      ? `Factuur ${number} van ${firm.name}`
      : `Invoice ${number} from ${firm.name}`;
  const text = credit
    ? nl
      ? `Beste ${invoice.billTo.name},\n\nBijgaand ontvangt u creditnota ${number} van ${amount}.\n\nMet vriendelijke groet,\n${firm.name}\n`
      : `Dear ${invoice.billTo.name},\n\nPlease find attached credit note ${number} of ${amount}.\n\nKind regards,\n${firm.name}\n`
    : nl
      ? `Beste ${invoice.billTo.name},\n\nBijgaand ontvangt u factuur ${number} van ${amount}. Wij verzoeken u het bedrag voor ${due} over te maken op ${firm.iban} onder vermelding van betalingskenmerk ${quote}.\n\nMet vriendelijke groet,\n${firm.name}\n`
      : `Dear ${invoice.billTo.name},\n\nPlease find attached invoice ${number} of ${amount}. Kindly pay by ${due} to ${firm.iban}, quoting payment reference ${quote}.\n\nKind regards,\n${firm.name}\n`;
  const fileName = number.replace(/[^A-Za-z0-9._-]/g, '_');
  const composer = new MailComposer({
    from: { name: firm.name, address: email.from },
    to: email.to,
    subject,
    text,
    date: new Date(email.queuedAt),
    messageId: `<${invoice.id}.${email.deliveryId}@factuur.local>`,
    attachments: [
      { filename: `${fileName}.pdf`, content: pdf, contentType: 'application/pdf' },
      ...(ubl !== null ? [{ filename: `${fileName}.xml`, content: ubl, contentType: 'application/xml' }] : []),
    ],
  });
  return composer.compile().build();
}
