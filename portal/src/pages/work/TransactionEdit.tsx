import { useState, type FormEvent } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { useI18n } from '../../i18n.tsx';
import { ErrorText } from '../../ui.tsx';
import { Field } from '../setup/fields.tsx';
import { type Tx, transactionBody } from './transactions.ts';

/**
 * Edit a transaction while it is unbilled (rules section 2: a reserved transaction changes only through its draft, a
 * billed one only by a credit note). PUT with If-Match of the version read; a field the API refuses is named next to
 * it; a transaction reserved meanwhile answers 409 and the list reloads to show where it went.
 */
const FIELDS = ['date', 'description', 'printedDescription', 'resource', 'quantity', 'unitPrice'] as const;
type Key = (typeof FIELDS)[number];

/** A decimal typed as 2,5 or 2.5 in the API's form (a dot, no grouping). */
const decimal = (text: string) => text.trim().replace(/\s/g, '').replace(',', '.');

export function TransactionEdit(props: { tx: Tx; onClose(): void; onSaved(): void }) {
  const { client } = useApp();
  const { t, tk } = useI18n();
  const { tx } = props;
  const [form, setForm] = useState<Record<Key, string>>(
    () => Object.fromEntries(FIELDS.map((key) => [key, String(tx[key] ?? '')])) as Record<Key, string>,
  );
  const [billingType, setBillingType] = useState(String(tx.billingType ?? 'chargeable'));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        ...transactionBody(tx),
        date: form.date,
        description: form.description.trim(),
        printedDescription: form.printedDescription.trim(),
        resource: form.resource.trim() || null,
        quantity: decimal(form.quantity),
        unitPrice: decimal(form.unitPrice),
        billingType,
      };
      await answer(
        client.PUT('/transactions/{transactionId}', {
          params: { path: { transactionId: tx.id }, header: ifMatch(tx.version) },
          body: body as never,
        }),
      );
      props.onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const labels: Record<Key, string> = {
    date: t('date'),
    description: t('description'),
    printedDescription: t('txPrintedDescription'),
    resource: t('txResource'),
    quantity: t('quantity'),
    unitPrice: t('unitPrice'),
  };
  return (
    <Dialog open title={t('editTxTitle', { id: tx.id })} onClose={props.onClose}>
      <form className="stacked-form" aria-label={t('editTxTitle', { id: tx.id })} onSubmit={(e) => void save(e)}>
        {FIELDS.map((key) => (
          <Field key={key} label={labels[key]} name={key} error={error}>
            {(describedBy) => (
              <input
                type={key === 'date' ? 'date' : 'text'}
                inputMode={key === 'quantity' || key === 'unitPrice' ? 'decimal' : undefined}
                required={key !== 'resource'}
                value={form[key]}
                onChange={(e) => setForm({ ...form, [key]: e.target.value })}
                aria-invalid={describedBy ? true : undefined}
                aria-describedby={describedBy}
              />
            )}
          </Field>
        ))}
        <Field label={t('billingType')} name="billingType" error={error}>
          {(describedBy) => (
            <select value={billingType} onChange={(e) => setBillingType(e.target.value)} aria-describedby={describedBy}>
              {['chargeable', 'complimentary', 'non_chargeable', 'not_available'].map((type) => (
                <option key={type} value={type}>
                  {tk('billing', type)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('saveTx')}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
