import { useState, type FormEvent } from 'react';
import { answer, newKey, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import { today } from '../../ui.tsx';
import type { InvoiceState } from './use-invoice.ts';

/**
 * The payments recorded on an issued invoice; billing reverses one (a bounced payment, a wrong booking) with a
 * reason: POST .../payments/{id}/reversal with If-Match and a reversal id kept for the retry of the same reversal.
 */
export function PaymentList(props: { state: InvoiceState; invoice: Invoice; mayReverse: boolean }) {
  const { state, invoice } = props;
  const { client } = useApp();
  const { t, money, date } = useI18n();
  const [reversing, setReversing] = useState<{ paymentId: string; reversalId: string }>();
  const [reason, setReason] = useState('');
  if ((invoice.payments?.length ?? 0) === 0) return null;

  const reverse = async (event: FormEvent) => {
    event.preventDefault();
    if (!reversing) return;
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/payments/{paymentId}/reversal', {
          params: {
            path: { invoiceId: invoice.id, paymentId: reversing.paymentId },
            header: postHeaders(invoice.version, reversing.reversalId),
          },
          body: { reversalId: reversing.reversalId, date: today(), reason: reason.trim() || null },
        }),
      );
      await state.applied(
        data,
        t('paymentReversed', { balance: money(data.invoice.totals.balance, invoice.currency) }),
      );
    });
    if (ok) {
      setReversing(undefined);
      setReason('');
    }
  };

  return (
    <section aria-labelledby="payments-title">
      <h2 id="payments-title">{t('payments')}</h2>
      <ul>
        {invoice.payments?.map((paid) => {
          const what = `${date(paid.date)} · ${money(paid.amount, invoice.currency)}`;
          return (
            <li key={paid.id}>
              {what} · {paid.method}
              {paid.reference ? ` · ${paid.reference}` : ''}
              {paid.reversal ? ` (${t('reversed')})` : ''}
              {props.mayReverse && !paid.reversal && reversing?.paymentId !== paid.id && (
                <>
                  {' '}
                  <button
                    type="button"
                    disabled={state.busy}
                    onClick={() => setReversing({ paymentId: paid.id, reversalId: `rev-${newKey()}` })}
                  >
                    {t('reversePayment', { payment: what })}
                  </button>
                </>
              )}
              {reversing?.paymentId === paid.id && (
                <form
                  className="inline-form"
                  aria-label={t('reversePayment', { payment: what })}
                  onSubmit={(e) => void reverse(e)}
                >
                  <label>
                    {t('reversalReason')}
                    <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
                  </label>
                  <button type="submit" className="danger" disabled={state.busy}>
                    {t('reverseNow')}
                  </button>
                  <button type="button" onClick={() => setReversing(undefined)}>
                    {t('cancel')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
