import { useEffect, useRef, useState, type FormEvent } from 'react';
import { answer, newKey } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Delivery, Invoice } from '../../types.ts';
import type { InvoiceState } from './use-invoice.ts';

/** The delivery log of an issued invoice (each status explained) and Resend (a new delivery of the same documents). */
export function Deliveries(props: {
  state: InvoiceState;
  invoice: Invoice;
  recipient: string | null;
  mayResend: boolean;
}) {
  const { state, invoice, recipient, mayResend } = props;
  const { client } = useApp();
  const { t, tk, dateTime } = useI18n();
  const [items, setItems] = useState<Delivery[]>();
  const [resending, setResending] = useState(false);
  const [to, setTo] = useState(recipient ?? '');
  const resendKey = useRef(newKey());
  const { generation, setError } = state;
  // Send and Resend answer with the e-mail queued; the deliver-invoices workflow sends it seconds later: while one
  // is queued or sending, the log is read again every 1.5 s (at most a minute).
  const [poll, setPoll] = useState({ generation, count: 0 });
  const polls = poll.generation === generation ? poll.count : 0;

  useEffect(() => {
    if (generation < 0 || poll.count < 0) return;
    answer(client.GET('/invoices/{invoiceId}/deliveries', { params: { path: { invoiceId: invoice.id } } }))
      .then(({ data }) => setItems(data.items))
      .catch(setError);
  }, [client, invoice.id, generation, poll, setError]);

  const pending = items?.some((delivery) => delivery.status === 'queued' || delivery.status === 'sending') ?? false;
  useEffect(() => {
    if (!pending || polls >= 40) return;
    const timer = setTimeout(() => setPoll({ generation, count: polls + 1 }), 1500);
    return () => clearTimeout(timer);
  }, [pending, polls, generation]);

  const explain = (delivery: Delivery) => {
    if (delivery.status !== 'failed') return t(`delivery.${delivery.status}` as 'delivery.sent');
    const error = delivery.lastError ?? '?';
    return delivery.nextAttemptAt
      ? t('delivery.failed', { error, next: dateTime(delivery.nextAttemptAt) })
      : t('delivery.failedFinal', { error });
  };

  const resend = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/deliveries', {
          params: { path: { invoiceId: invoice.id }, header: { 'Idempotency-Key': resendKey.current } },
          body: { to },
        }),
      );
      await state.applied({ invoice }, t('resent', { email: data.to }));
    });
    if (ok) {
      resendKey.current = newKey();
      setResending(false);
    }
  };

  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t('deliveries')}</h2>
      {items && items.length === 0 && <p>{t('noDeliveries')}</p>}
      {items && items.length > 0 && (
        <table>
          <caption>{t('deliveriesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('to')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col" className="num">
                {t('attemptsCol')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((delivery) => (
              <tr key={delivery.deliveryId} data-testid={`delivery-${delivery.deliveryId}`}>
                <td>{dateTime(delivery.sentAt ?? delivery.queuedAt)}</td>
                <td>{tk('deliveryKind', delivery.kind)}</td>
                <td>{delivery.to}</td>
                <td>{explain(delivery)}</td>
                <td className="num">{delivery.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayResend && (
        <button type="button" onClick={() => setResending(true)} disabled={state.busy}>
          {t('resend')}
        </button>
      )}
      <Dialog open={resending} title={t('resendTitle')} onClose={() => setResending(false)}>
        <form className="stacked-form" onSubmit={(event) => void resend(event)}>
          <label>
            {t('resendTo')}
            <input type="email" required maxLength={254} value={to} onChange={(event) => setTo(event.target.value)} />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={state.busy}>
              {t('resendNow')}
            </button>
            <button type="button" onClick={() => setResending(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
