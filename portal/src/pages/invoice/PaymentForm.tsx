import { useEffect, useRef, useState, type FormEvent } from 'react';
import { answer, newKey, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { currencyExponent, decimalToMinor, minorToDecimal, useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import { today } from '../../ui.tsx';
import type { InvoiceState } from './use-invoice.ts';

const newPaymentKeys = () => ({ paymentId: `pay-${newKey().slice(0, 18)}`, idempotencyKey: newKey() });

/** Mark as paid: a payment of the balance (the default) or part of it; one payment id and key per payment. */
export function PaymentForm({ state, invoice }: { state: InvoiceState; invoice: Invoice }) {
  const { client } = useApp();
  const { t, money } = useI18n();
  const currency = invoice.currency;
  const exponent = currencyExponent(currency);
  const keys = useRef(newPaymentKeys());
  const [payment, setPayment] = useState({ amount: '', date: today(), method: 'bank', reference: '' });
  const [amountError, setAmountError] = useState<string>();
  const balance = invoice.totals.balance;
  useEffect(() => {
    setPayment((previous) => ({ ...previous, amount: minorToDecimal(Math.max(balance, 0), exponent) }));
  }, [balance, exponent]);

  const record = async (event: FormEvent) => {
    event.preventDefault();
    const amount = decimalToMinor(payment.amount, exponent);
    if (amount === undefined || amount <= 0) {
      setAmountError(t('amountInvalid', { digits: exponent }));
      return;
    }
    setAmountError(undefined);
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/payments', {
          params: {
            path: { invoiceId: invoice.id },
            header: postHeaders(invoice.version, keys.current.idempotencyKey),
          },
          body: {
            paymentId: keys.current.paymentId,
            amount,
            currency,
            date: payment.date,
            method: payment.method,
            reference: payment.reference || null,
          },
        }),
      );
      await state.applied(data, t('paymentRecorded', { balance: money(data.invoice.totals.balance, currency) }));
      setPayment((previous) => ({ ...previous, reference: '' }));
    });
    if (ok) keys.current = newPaymentKeys();
  };

  return (
    <section aria-labelledby="pay-title">
      <h2 id="pay-title">{t('markPaid')}</h2>
      <form className="inline-form" onSubmit={(event) => void record(event)}>
        <label>
          {t('amount', { currency })}
          <input
            inputMode="decimal"
            value={payment.amount}
            onChange={(event) => setPayment({ ...payment, amount: event.target.value })}
            required
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? 'amount-error' : undefined}
          />
        </label>
        <label>
          {t('paymentDate')}
          <input
            type="date"
            value={payment.date}
            onChange={(event) => setPayment({ ...payment, date: event.target.value })}
            required
          />
        </label>
        <label>
          {t('method')}
          <input
            value={payment.method}
            onChange={(event) => setPayment({ ...payment, method: event.target.value })}
            required
            maxLength={40}
          />
        </label>
        <label>
          {t('reference')}
          <input
            value={payment.reference}
            onChange={(event) => setPayment({ ...payment, reference: event.target.value })}
            maxLength={140}
          />
        </label>
        <button type="submit" className="primary" disabled={state.busy}>
          {t('recordPayment')}
        </button>
        {amountError && (
          <p id="amount-error" className="error">
            {amountError}
          </p>
        )}
      </form>
    </section>
  );
}
