import { useState } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import { decimalToMinor, currencyExponent, minorToDecimal } from '../../money.ts';
import type { Customer, Project } from '../../types.ts';
import { Field, FormFooter, useSave } from './fields.tsx';
import { emptyFrequency, formOf, FrequencyFields, frequencyOf, type FrequencyForm } from './FrequencyFields.tsx';

interface Line {
  id: string;
  description: string;
  billingMethod: 'time_and_material' | 'fixed_price';
  notToExceed: string;
}

/** A project: customer, currency, org unit, contract lines (billing method, not-to-exceed), payment terms, frequency. */
export function ProjectForm(props: {
  project?: Project;
  customers: Customer[];
  onSaved(project: Project): void;
  onCancel(): void;
}) {
  const { client } = useApp();
  const { t, tk } = useI18n();
  const existing = props.project;
  const [name, setName] = useState(existing?.name ?? '');
  const [customerId, setCustomerId] = useState(existing?.customerId ?? props.customers[0]?.id ?? '');
  const [currency, setCurrency] = useState(existing?.currency ?? 'EUR');
  const [orgUnit, setOrgUnit] = useState(existing?.orgUnit ?? '');
  const [terms, setTerms] = useState(existing?.paymentTermsDays == null ? '' : String(existing.paymentTermsDays));
  const [buyerReference, setBuyerReference] = useState(existing?.buyerReference ?? '');
  // empty: the customer's payment terms apply (else 30 days), also when they change later
  const customerTerms = props.customers.find((customer) => customer.id === customerId)?.paymentTermsDays;
  const exponent = currencyExponent(currency);
  const [lines, setLines] = useState<Line[]>(
    (
      existing?.contractLines as
        | { id: string; description: string; billingMethod: Line['billingMethod']; notToExceed?: number | null }[]
        | undefined
    )?.map((line) => ({
      ...line,
      notToExceed: line.notToExceed == null ? '' : minorToDecimal(line.notToExceed, exponent),
    })) ?? [{ id: 'cl-1', description: '', billingMethod: 'time_and_material', notToExceed: '' }],
  );
  const [frequency, setFrequency] = useState<FrequencyForm>(
    existing?.frequency ? formOf(existing.frequency as Record<string, unknown>) : emptyFrequency(),
  );
  const { error, busy, submit } = useSave(props.onSaved);
  const setLine = (index: number, patch: Partial<Line>) =>
    setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  const save = submit(async () => {
    const body = {
      name: name.trim(),
      customerId,
      currency,
      orgUnit: orgUnit.trim() || null,
      frequency: frequencyOf(frequency),
      contractLines: lines.map((line) => ({
        id: line.id,
        description: line.description.trim(),
        billingMethod: line.billingMethod,
        notToExceed: line.notToExceed.trim() ? (decimalToMinor(line.notToExceed, exponent) ?? -1) : null,
      })),
      paymentTermsDays: terms.trim() ? Number(terms) : null,
      buyerReference: buyerReference.trim() || null,
    };
    const { data } = existing
      ? await answer(
          client.PUT('/projects/{projectId}', {
            params: { path: { projectId: existing.id }, header: ifMatch(existing.version) },
            body,
          }),
        )
      : await answer(
          client.POST('/projects', { params: { header: { 'Idempotency-Key': crypto.randomUUID() } }, body }),
        );
    return data;
  });

  return (
    <form
      className="stacked-form"
      onSubmit={(event) => void save(event)}
      aria-label={existing ? t('editProject', { name: existing.name }) : t('newProject')}
    >
      <Field label={t('name')} name="name" error={error}>
        {(d) => (
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} aria-describedby={d} />
        )}
      </Field>
      <Field label={t('customer')} name="customerId" error={error}>
        {(d) => (
          <select value={customerId} onChange={(e) => setCustomerId(e.target.value)} aria-describedby={d}>
            {props.customers.map((customer) => (
              <option key={customer.id} value={customer.id}>
                {customer.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('currency')} name="currency" error={error}>
        {(d) => (
          <input
            required
            pattern="[A-Z]{3}"
            size={4}
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            aria-describedby={d}
          />
        )}
      </Field>
      <Field label={t('orgUnit')} name="orgUnit" error={error}>
        {(d) => (
          <input maxLength={64} value={orgUnit} onChange={(e) => setOrgUnit(e.target.value)} aria-describedby={d} />
        )}
      </Field>
      <Field label={t('paymentTermsDays')} name="paymentTermsDays" error={error}>
        {(d) => (
          <input
            type="number"
            min={0}
            max={365}
            value={terms}
            onChange={(e) => setTerms(e.target.value)}
            aria-describedby={d ?? 'terms-default'}
          />
        )}
      </Field>
      <p id="terms-default" className="hint" data-testid="terms-default">
        {t('termsDefault', { days: customerTerms ?? 30 })}
      </p>
      <Field label={t('buyerReference')} name="buyerReference" error={error}>
        {(d) => (
          <input
            maxLength={100}
            value={buyerReference}
            onChange={(e) => setBuyerReference(e.target.value)}
            aria-describedby={d}
          />
        )}
      </Field>
      <fieldset>
        <legend>{t('contractLines')}</legend>
        {lines.map((line, index) => (
          <div className="rule" key={line.id}>
            <Field
              label={t('lineDescription', { n: index + 1 })}
              name={`contractLines[${index}].description`}
              error={error}
            >
              {(d) => (
                <input
                  required
                  maxLength={200}
                  value={line.description}
                  onChange={(e) => setLine(index, { description: e.target.value })}
                  aria-describedby={d}
                />
              )}
            </Field>
            <label>
              {t('billingMethod', { n: index + 1 })}
              <select
                value={line.billingMethod}
                onChange={(e) => setLine(index, { billingMethod: e.target.value as Line['billingMethod'] })}
              >
                {(['time_and_material', 'fixed_price'] as const).map((method) => (
                  <option key={method} value={method}>
                    {tk('method', method)}
                  </option>
                ))}
              </select>
            </label>
            <Field
              label={t('notToExceed', { n: index + 1, currency })}
              name={`contractLines[${index}].notToExceed`}
              error={error}
            >
              {(d) => (
                <input
                  inputMode="decimal"
                  size={10}
                  value={line.notToExceed}
                  onChange={(e) => setLine(index, { notToExceed: e.target.value })}
                  aria-describedby={d}
                />
              )}
            </Field>
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            setLines([
              ...lines,
              { id: `cl-${lines.length + 1}`, description: '', billingMethod: 'time_and_material', notToExceed: '' },
            ])
          }
        >
          {t('addLine')}
        </button>
      </fieldset>
      <FrequencyFields
        value={frequency}
        onChange={setFrequency}
        {...(existing?.frequency ? { saved: existing.frequency as Record<string, unknown> } : {})}
      />
      <FormFooter error={error} busy={busy} saveLabel={t('saveProject')} onCancel={props.onCancel} />
    </form>
  );
}
