import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { fillReminderText, type Invoice, type LateInterest, type ReminderLevel } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { documentLanguage, formatDateLong, formatMoney, formatRate } from '../documents/format.ts';
import type { ReminderMessage } from './ports.ts';

/**
 * A reminder e-mail: the firm's text for the level in the customer's language (placeholders filled), then the
 * facts every reminder states: the open amount, the due date, the account and the payment reference (the header's
 * `paymentReference` when the invoice has one, else its number). The final notice with late interest adds the
 * statutory interest per half-year period, the fixed compensation and the total now owed. Composed once, when the
 * level is claimed, and stored with the delivery.
 */
export interface ReminderFacts {
  readonly invoice: Pick<Invoice, 'number' | 'id' | 'issueDate' | 'dueDate' | 'currency' | 'customer' | 'billTo'> & {
    readonly paymentReference?: string;
  };
  readonly firm: Pick<FirmProfile, 'name' | 'iban'>;
  readonly level: ReminderLevel;
  readonly final: boolean;
  readonly openAmount: number;
  readonly daysOverdue: number;
  readonly date: string;
  readonly lateInterest: LateInterest | null;
}

export function composeReminderMessage(facts: ReminderFacts): ReminderMessage {
  const { invoice, firm, level } = facts;
  const language = documentLanguage(invoice.customer.language);
  const nl = language === 'nl';
  const number = invoice.number ?? invoice.id;
  const reference = invoice.paymentReference ?? number;
  const money = (amount: number) => formatMoney(amount, invoice.currency, language);
  const values = {
    customer: invoice.billTo.name,
    number,
    issueDate: invoice.issueDate ? formatDateLong(invoice.issueDate, language) : '',
    dueDate: invoice.dueDate ? formatDateLong(invoice.dueDate, language) : '',
    daysOverdue: String(facts.daysOverdue),
    openAmount: money(facts.openAmount),
    reference,
    firm: firm.name,
  };
  const texts = level.texts[language];
  const lines = [
    fillReminderText(texts.text, values).trimEnd(),
    '',
    nl ? `Factuur: ${number}` : `Invoice: ${number}`,
    nl ? `Vervaldatum: ${values.dueDate}` : `Due date: ${values.dueDate}`,
    nl ? `Openstaand bedrag: ${values.openAmount}` : `Open amount: ${values.openAmount}`,
    nl ? `Rekening: ${firm.iban} t.n.v. ${firm.name}` : `Account: ${firm.iban} (${firm.name})`,
    nl ? `Betalingskenmerk: ${reference}` : `Payment reference: ${reference}`,
  ];
  const interest = facts.lateInterest;
  if (interest) {
    const eur = (amount: number) => formatMoney(amount, 'EUR', language);
    lines.push(
      '',
      nl
        ? `Wettelijke handelsrente (art. 6:119a BW, richtlijn 2011/7/EU) over ${values.openAmount} van ${formatDateLong(interest.periods[0]?.from ?? facts.date, language)} t/m ${formatDateLong(facts.date, language)}:`
        : `Statutory interest for late payment (Directive 2011/7/EU) on ${values.openAmount} from ${formatDateLong(interest.periods[0]?.from ?? facts.date, language)} to ${formatDateLong(facts.date, language)}:`,
      ...interest.periods.map(
        (period) =>
          `  ${formatDateLong(period.from, language)} - ${formatDateLong(period.to, language)}: ${period.days} ${nl ? 'dagen' : 'days'} ${nl ? 'tegen' : 'at'} ${formatRate((period.basisPoints / 100).toFixed(2), language)}`,
      ),
      nl ? `Rente: ${eur(interest.interest)}` : `Interest: ${eur(interest.interest)}`,
      nl
        ? `Vaste vergoeding voor invorderingskosten: ${eur(interest.compensation)}`
        : `Fixed compensation for recovery costs: ${eur(interest.compensation)}`,
      nl
        ? `Totaal nu verschuldigd: ${eur(facts.openAmount + interest.interest + interest.compensation)}`
        : `Total now owed: ${eur(facts.openAmount + interest.interest + interest.compensation)}`,
    );
  }
  lines.push(
    '',
    nl
      ? 'Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen. De factuur is bijgevoegd.'
      : 'If you have paid in the meantime, please disregard this reminder. The invoice is attached.',
    '',
    nl ? 'Met vriendelijke groet,' : 'Kind regards,',
    firm.name,
    '',
  );
  return {
    level: level.level,
    final: facts.final,
    subject: fillReminderText(texts.subject, values),
    text: lines.join('\n'),
  };
}

/** The MIME message of a reminder delivery: its stored text and the invoice PDF. */
export async function composeReminderEmail(
  message: ReminderMessage,
  invoice: Pick<Invoice, 'id' | 'number'>,
  firm: Pick<FirmProfile, 'name'>,
  pdf: Buffer,
  email: { from: string; to: string; deliveryId: string; queuedAt: string },
): Promise<Buffer> {
  const fileName = (invoice.number ?? invoice.id).replace(/[^A-Za-z0-9._-]/g, '_');
  const composer = new MailComposer({
    from: { name: firm.name, address: email.from },
    to: email.to,
    subject: message.subject,
    text: message.text,
    date: new Date(email.queuedAt),
    messageId: `<${invoice.id}.${email.deliveryId}@factuur.local>`,
    attachments: [{ filename: `${fileName}.pdf`, content: pdf, contentType: 'application/pdf' }],
  });
  return composer.compile().build();
}
