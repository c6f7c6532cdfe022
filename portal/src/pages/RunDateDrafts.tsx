import { useState, type FormEvent } from 'react';
import { answer } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import type { Invoice } from '../types.ts';
import { ErrorText } from '../ui.tsx';

/**
 * The drafts one invoice run made (GET /invoices?runDate=, every page): with review before sending on, the approved
 * ones are ready (the rest wait for a second billing user); with it off, every draft is. "Choose them" hands the
 * ready ones to the bulk send, which sends each with If-Match and its own Idempotency-Key.
 */
export function RunDateDrafts(props: { disabled: boolean; onChoose(invoices: readonly Invoice[]): void }) {
  const { client } = useApp();
  const { t, money, date } = useI18n();
  const { customers } = useLookups();
  const [runDate, setRunDate] = useState('');
  const [found, setFound] = useState<{ runDate: string; ready: Invoice[]; waiting: number; reviewOn: boolean }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const look = async (event: FormEvent) => {
    event.preventDefault();
    if (!runDate) return;
    setBusy(true);
    setError(undefined);
    try {
      const reviewOn = (await answer(client.GET('/settings'))).data.reviewBeforeSend;
      const all: Invoice[] = [];
      let cursor: string | undefined;
      do {
        const { data } = await answer(
          client.GET('/invoices', { params: { query: { runDate, limit: '500', ...(cursor ? { cursor } : {}) } } }),
        );
        all.push(...data.items);
        cursor = data.next ?? undefined;
      } while (cursor);
      const open = all.filter((invoice) => invoice.status === 'draft' || invoice.status === 'in_review');
      const isReady = (invoice: Invoice) =>
        reviewOn ? invoice.status === 'in_review' && Boolean(invoice.review?.approvedBy) : invoice.status === 'draft';
      const ready = open.filter(isReady);
      setFound({ runDate, ready, waiting: open.length - ready.length, reviewOn });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="run-date-title" className="bulk">
      <h2 id="run-date-title">{t('runDateSendTitle')}</h2>
      <form className="filters" onSubmit={(event) => void look(event)} aria-label={t('runDateSendTitle')}>
        <label>
          {t('runDate')}
          <input type="date" required value={runDate} onChange={(event) => setRunDate(event.target.value)} />
        </label>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {t('runDateShow')}
          </button>
        </div>
      </form>
      <ErrorText error={error} />
      {found && (
        <>
          <table>
            <caption>
              {t(found.reviewOn ? 'runDateApproved' : 'runDateDrafts', {
                count: found.ready.length,
                date: date(found.runDate),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('invoice')}</th>
                <th scope="col">{t('customer')}</th>
                <th scope="col" className="num">
                  {t('total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {found.ready.map((invoice) => (
                <tr key={invoice.id}>
                  <td>
                    <a href={`#/invoices/${encodeURIComponent(invoice.id)}`}>
                      {t('draftLabel', { id: invoice.id.slice(0, 12) })}
                    </a>
                  </td>
                  <td>{(invoice.customerId && customers.get(invoice.customerId)?.name) ?? invoice.customer?.name}</td>
                  <td className="num">{money(invoice.totals.total, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {found.waiting > 0 && <p data-testid="run-date-waiting">{t('runDateWaiting', { count: found.waiting })}</p>}
          <button
            type="button"
            disabled={props.disabled || found.ready.length === 0}
            onClick={() => props.onChoose(found.ready)}
          >
            {t('runDateChoose', { count: found.ready.length })}
          </button>
        </>
      )}
    </section>
  );
}
