import { useEffect, useState } from 'react';
import { answer } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { formatDecimal, useI18n } from '../../i18n.tsx';
import type { ExcludedWork, Invoice } from '../../types.ts';
import type { InvoiceState } from './use-invoice.ts';

/** The work a draft does not bill, with the reason (not-to-exceed, not approved, on hold); each item opens. */
export function ExcludedWorkList({ state, invoice }: { state: InvoiceState; invoice: Invoice }) {
  const { client } = useApp();
  const i18n = useI18n();
  const { t, tk, date } = i18n;
  const [items, setItems] = useState<ExcludedWork[]>();
  const [open, setOpen] = useState<ExcludedWork>();
  const { generation, setError } = state;

  useEffect(() => {
    if (generation < 0) return;
    answer(client.GET('/invoices/{invoiceId}/excluded', { params: { path: { invoiceId: invoice.id } } }))
      .then(({ data }) => setItems(data.items))
      .catch(setError);
  }, [client, invoice.id, generation, setError]);

  if (!items) return null;
  return (
    <section aria-labelledby="excluded-title">
      <h2 id="excluded-title">{t('excludedWork')}</h2>
      {items.length === 0 ? (
        <p>{t('noExcludedWork')}</p>
      ) : (
        <table>
          <caption>{t('excludedWorkCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('item')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.kind}-${item.id}`}>
                <td>{date(item.date)}</td>
                <td>{item.description ?? item.id}</td>
                <td>{tk('reason', item.reason)}</td>
                <td>
                  <button type="button" onClick={() => setOpen(item)}>
                    {t('openTransaction', { id: item.id })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog
        open={open !== undefined}
        title={t('transactionTitle', { id: open?.id ?? '' })}
        onClose={() => setOpen(undefined)}
      >
        {open && (
          <dl className="facts">
            <div>
              <dt>{t('kind')}</dt>
              <dd>{tk('kind', open.kind)}</dd>
            </div>
            <div>
              <dt>{t('reason')}</dt>
              <dd>{tk('reason', open.reason)}</dd>
            </div>
            <div>
              <dt>{t('date')}</dt>
              <dd>{date(open.date)}</dd>
            </div>
            <div>
              <dt>{t('description')}</dt>
              <dd>{open.description ?? ''}</dd>
            </div>
            {open.quantity && (
              <div>
                <dt>{t('quantity')}</dt>
                <dd>{formatDecimal(i18n.locale, open.quantity)}</dd>
              </div>
            )}
          </dl>
        )}
        <div className="buttons">
          <button type="button" onClick={() => setOpen(undefined)}>
            {t('close')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
