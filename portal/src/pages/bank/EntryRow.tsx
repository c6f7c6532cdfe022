import { useApp, useLookups } from '../../app-context.tsx';
import { currencyExponent, decimalToMinor, useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import type { EntryOutcome } from './bank-types.ts';

/** One entry of the match report: its outcome, and the billing user's confirm or assign. */
export function EntryRow(props: {
  entry: EntryOutcome;
  busy: boolean;
  /** Open invoices to assign an unmatched entry to. */
  open: readonly Invoice[];
  choice: string;
  onChoose(invoiceId: string): void;
  onAssign(invoiceId: string, label: string): void;
}) {
  const { entry, busy, open } = props;
  const { can } = useApp();
  const { t, tk, money, date } = useI18n();
  const { customers } = useLookups();
  const invoiceLabel = (invoice: Invoice) =>
    `${invoice.number ?? invoice.id} · ${customers.get(invoice.customerId ?? '')?.name ?? invoice.customerId ?? ''} · ${money(invoice.totals.balance, invoice.currency)}`;
  const minor =
    (decimalToMinor(entry.amount, currencyExponent(entry.currency)) ?? 0) * (entry.direction === 'debit' ? -1 : 1);
  const label = entry.invoiceNumber ?? entry.invoiceId ?? '';
  const selectId = `assign-${entry.position}`;
  return (
    <tr data-testid={`entry-${entry.position}`}>
      <td className="num">{entry.position}</td>
      <td>{date(entry.bookingDate)}</td>
      <td className="num">{money(minor, entry.currency)}</td>
      <td>{entry.debtorName ?? ''}</td>
      <td>{[...entry.references, entry.unstructured].filter(Boolean).join(' · ')}</td>
      <td data-testid={`outcome-${entry.position}`}>
        {tk('bankOutcome', entry.outcome)}
        {entry.reason ? ` (${tk('bankReason', entry.reason)})` : ''}
        {entry.duplicateOf ? ` (${t('bankDuplicateOf', { n: entry.duplicateOf.position })})` : ''}
        {entry.unapplied ? ` · ${t('bankKeptOnCustomer', { amount: money(entry.unapplied, entry.currency) })}` : ''}
      </td>
      <td>{entry.invoiceId ? <a href={`#/invoices/${encodeURIComponent(entry.invoiceId)}`}>{label}</a> : ''}</td>
      <td>
        {can('billing') && entry.outcome === 'proposed' && entry.invoiceId && (
          <button type="button" disabled={busy} onClick={() => props.onAssign(entry.invoiceId as string, label)}>
            {t('bankConfirm', { invoice: label })}
          </button>
        )}
        {can('billing') && entry.outcome === 'unmatched' && (
          <div className="inline-form">
            <label htmlFor={selectId}>{t('bankAssignTo', { n: entry.position })}</label>
            <select id={selectId} value={props.choice} onChange={(event) => props.onChoose(event.target.value)}>
              <option value="">{t('bankChooseInvoice')}</option>
              {open.map((invoice) => (
                <option key={invoice.id} value={invoice.id}>
                  {invoiceLabel(invoice)}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy || !props.choice}
              onClick={() => {
                const invoice = open.find((candidate) => candidate.id === props.choice);
                if (invoice) props.onAssign(invoice.id, invoice.number ?? invoice.id);
              }}
            >
              {t('bankAssign')}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
