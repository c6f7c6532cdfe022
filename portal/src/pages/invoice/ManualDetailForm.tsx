import { useState, type FormEvent } from 'react';
import { answer, ApiError, newKey, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import { Field } from '../setup/fields.tsx';
import type { InvoiceState } from './use-invoice.ts';

/**
 * Add a manual time, expense, material or fee detail to a draft (rules section 4: its transaction is created at
 * Send). POST /invoices/{id}/details with If-Match and one Idempotency-Key per form (a retry is the same request);
 * a refused field is named next to it.
 */
const TYPES = ['time', 'expense', 'material', 'fee'] as const;
const CATEGORIES = ['S', 'AA', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
type Key = 'date' | 'description' | 'printedDescription' | 'quantity' | 'unit' | 'unitPrice' | 'code' | 'rate';
const decimal = (text: string) => text.trim().replace(/\s/g, '').replace(',', '.');

export function ManualDetailForm({ state, invoice }: { state: InvoiceState; invoice: Invoice }) {
  const { client } = useApp();
  const { t, tk, money } = useI18n();
  const lines = (state.project?.contractLines ?? []) as { id: string; description?: string }[];
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<(typeof TYPES)[number]>('time');
  const [contractLineId, setContractLineId] = useState(lines[0]?.id ?? '');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('S');
  const [billingType, setBillingType] = useState<'chargeable' | 'complimentary'>('chargeable');
  const blank: Record<Key, string> = {
    date: invoice.cutOff ?? '',
    description: '',
    printedDescription: '',
    quantity: '1',
    unit: 'uur',
    unitPrice: '',
    code: 'NL-HIGH',
    rate: '21',
  };
  const [form, setForm] = useState(blank);
  const [key, setKey] = useState(newKey);
  const [error, setError] = useState<unknown>();

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const description = form.description.trim();
    const body = {
      type,
      contractLineId: contractLineId || lines[0]?.id || '',
      date: form.date,
      description,
      printedDescription: form.printedDescription.trim() || description,
      quantity: decimal(form.quantity),
      unit: form.unit.trim(),
      unitPrice: decimal(form.unitPrice),
      tax: { code: form.code.trim(), category, rate: decimal(form.rate) },
      billingType,
    };
    const ok = await state.change(async () => {
      try {
        const { data } = await answer(
          client.POST('/invoices/{invoiceId}/details', {
            params: { path: { invoiceId: invoice.id }, header: postHeaders(invoice.version, key) },
            body,
          }),
        );
        await state.applied(data, t('detailAdded', { total: money(data.invoice.totals.total, invoice.currency) }));
      } catch (caught) {
        setError(caught); // shown next to its field too
        // refused: the next try is a new request; a lost answer (network, 5xx) is retried with the same key
        if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) setKey(newKey());
        throw caught;
      }
    });
    if (ok) {
      setForm(blank);
      setKey(newKey());
      setOpen(false);
    }
  };

  const input = (name: Key, label: string, extra: Record<string, unknown> = {}, field: string = name) => (
    <Field label={label} name={field} error={error}>
      {(describedBy) => (
        <input
          value={form[name]}
          onChange={(e) => setForm({ ...form, [name]: e.target.value })}
          aria-invalid={describedBy ? true : undefined}
          aria-describedby={describedBy}
          {...extra}
        />
      )}
    </Field>
  );
  if (!open)
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)} disabled={state.busy}>
          {t('addDetail')}
        </button>
      </p>
    );
  return (
    <section aria-labelledby="add-detail-title">
      <h2 id="add-detail-title">{t('addDetailTitle')}</h2>
      <form className="stacked-form" aria-label={t('addDetailTitle')} onSubmit={(e) => void add(e)}>
        <Field label={t('type')} name="type" error={error}>
          {(d) => (
            <select value={type} onChange={(e) => setType(e.target.value as typeof type)} aria-describedby={d}>
              {TYPES.map((value) => (
                <option key={value} value={value}>
                  {tk('type', value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('contractLine')} name="contractLineId" error={error}>
          {(d) => (
            <select value={contractLineId} onChange={(e) => setContractLineId(e.target.value)} aria-describedby={d}>
              {lines.map((line) => (
                <option key={line.id} value={line.id}>
                  {line.description ? `${line.id} · ${line.description}` : line.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        {input('date', t('date'), { type: 'date', required: true })}
        {input('description', t('description'), { required: true, maxLength: 500 })}
        {input('printedDescription', t('detailPrinted'), { maxLength: 500 })}
        {input('quantity', t('quantity'), { required: true, inputMode: 'decimal' })}
        {input('unit', t('unit'), { required: true, maxLength: 20 })}
        {input('unitPrice', t('unitPrice'), { required: true, inputMode: 'decimal' })}
        {input('code', t('vatCode'), { required: true, maxLength: 32 }, 'tax.code')}
        <Field label={t('vatCategory')} name="tax.category" error={error}>
          {(d) => (
            <select
              value={category}
              onChange={(e) => setCategory(e.target.value as typeof category)}
              aria-describedby={d}
            >
              {CATEGORIES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          )}
        </Field>
        {input('rate', t('vatRate'), { required: true, inputMode: 'decimal' }, 'tax.rate')}
        <Field label={t('billingType')} name="billingType" error={error}>
          {(d) => (
            <select
              value={billingType}
              onChange={(e) => setBillingType(e.target.value as typeof billingType)}
              aria-describedby={d}
            >
              <option value="chargeable">{tk('billing', 'chargeable')}</option>
              <option value="complimentary">{tk('billing', 'complimentary')}</option>
            </select>
          )}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary" disabled={state.busy}>
            {t('addDetailNow')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
