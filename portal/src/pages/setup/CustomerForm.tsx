import { useState } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Customer } from '../../types.ts';
import { Field, FormFooter, useSave } from './fields.tsx';

/**
 * A customer: name, structured postal address (contract 1: 1-3 lines, postal code, city, subdivision, country),
 * e-mail, VAT number, electronic address (Peppol EAS scheme + identifier), language, payment terms (the default of
 * its projects), reverse charge. An old customer
 * with only the legacy free-text address starts from its lines.
 */
interface Form {
  name: string;
  lines: string;
  postalCode: string;
  city: string;
  subdivision: string;
  country: string;
  email: string;
  taxId: string;
  scheme: string;
  identifier: string;
  language: string;
  paymentTermsDays: string;
  reverseCharge: boolean;
}

const empty: Form = {
  name: '',
  lines: '',
  postalCode: '',
  city: '',
  subdivision: '',
  country: 'NL',
  email: '',
  taxId: '',
  scheme: '',
  identifier: '',
  language: 'nl',
  paymentTermsDays: '',
  reverseCharge: false,
};

function formOf(customer: Customer): Form {
  const postal = customer.postalAddress;
  const electronic = customer.electronicAddress;
  return {
    ...empty,
    name: customer.name,
    lines: postal ? postal.lines.join('\n') : (customer.address ?? ''),
    postalCode: postal?.postalCode ?? '',
    city: postal?.city ?? '',
    subdivision: postal?.subdivision ?? '',
    country: postal?.country ?? 'NL',
    email: customer.email ?? '',
    taxId: customer.taxId ?? '',
    scheme: electronic?.scheme ?? '',
    identifier: electronic?.identifier ?? '',
    language: customer.language ?? 'nl',
    paymentTermsDays: customer.paymentTermsDays == null ? '' : String(customer.paymentTermsDays),
    reverseCharge: customer.reverseCharge === true,
  };
}

export function customerBody(form: Form) {
  const lines = form.lines
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const scheme = form.scheme.trim();
  const identifier = form.identifier.trim();
  return {
    name: form.name.trim(),
    postalAddress: {
      lines,
      postalCode: form.postalCode.trim() || null,
      city: form.city.trim(),
      subdivision: form.subdivision.trim() || null,
      country: form.country.trim().toUpperCase(),
    },
    electronicAddress: scheme && identifier ? { scheme, identifier } : null,
    email: form.email.trim() || null,
    taxId: form.taxId.trim() || null,
    language: form.language,
    paymentTermsDays: form.paymentTermsDays.trim() ? Number(form.paymentTermsDays) : null,
    reverseCharge: form.reverseCharge,
  };
}

export function CustomerForm(props: { customer?: Customer; onSaved(customer: Customer): void; onCancel(): void }) {
  const { client } = useApp();
  const { t } = useI18n();
  const [form, setForm] = useState<Form>(props.customer ? formOf(props.customer) : empty);
  const { error, busy, submit } = useSave(props.onSaved);
  const set = (key: keyof Form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });

  const save = submit(async () => {
    const body = customerBody(form);
    const existing = props.customer;
    const { data } = existing
      ? await answer(
          client.PUT('/customers/{customerId}', {
            params: { path: { customerId: existing.id }, header: ifMatch(existing.version) },
            body,
          }),
        )
      : await answer(
          client.POST('/customers', { params: { header: { 'Idempotency-Key': crypto.randomUUID() } }, body }),
        );
    return data;
  });

  const input =
    (key: keyof Form, extra: Record<string, unknown> = {}) =>
    (describedBy?: string) => (
      <input
        value={String(form[key])}
        onChange={set(key)}
        aria-invalid={describedBy ? true : undefined}
        aria-describedby={describedBy}
        {...extra}
      />
    );
  return (
    <form
      className="stacked-form"
      onSubmit={(event) => void save(event)}
      aria-label={props.customer ? t('editCustomer', { name: props.customer.name }) : t('newCustomer')}
    >
      <Field label={t('name')} name="name" error={error}>
        {input('name', { required: true, maxLength: 200 })}
      </Field>
      <Field label={t('addressLines')} name="postalAddress.lines" error={error}>
        {(describedBy) => (
          <textarea rows={3} required value={form.lines} onChange={set('lines')} aria-describedby={describedBy} />
        )}
      </Field>
      <Field label={t('postalCode')} name="postalAddress.postalCode" error={error}>
        {input('postalCode', { maxLength: 16 })}
      </Field>
      <Field label={t('city')} name="postalAddress.city" error={error}>
        {input('city', { required: true, maxLength: 100 })}
      </Field>
      <Field label={t('subdivision')} name="postalAddress.subdivision" error={error}>
        {input('subdivision', { maxLength: 100 })}
      </Field>
      <Field label={t('country')} name="postalAddress.country" error={error}>
        {input('country', { required: true, pattern: '[A-Za-z]{2}', maxLength: 2, size: 3 })}
      </Field>
      <Field label={t('email')} name="email" error={error}>
        {input('email', { type: 'email', maxLength: 254 })}
      </Field>
      <Field label={t('taxId')} name="taxId" error={error}>
        {input('taxId', { maxLength: 32 })}
      </Field>
      <Field label={t('electronicScheme')} name="electronicAddress.scheme" error={error}>
        {input('scheme', { pattern: '\\d{4}', maxLength: 4, size: 5 })}
      </Field>
      <Field label={t('electronicId')} name="electronicAddress.identifier" error={error}>
        {input('identifier', { maxLength: 100 })}
      </Field>
      <Field label={t('language')} name="language" error={error}>
        {(describedBy) => (
          <select value={form.language} onChange={set('language')} aria-describedby={describedBy}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        )}
      </Field>
      <Field label={t('customerTerms')} name="paymentTermsDays" error={error}>
        {input('paymentTermsDays', { type: 'number', min: 0, max: 365, size: 4 })}
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={form.reverseCharge}
          onChange={(event) => setForm({ ...form, reverseCharge: event.target.checked })}
        />
        {t('reverseCharge')}
      </label>
      <FormFooter error={error} busy={busy} saveLabel={t('saveCustomer')} onCancel={props.onCancel} />
    </form>
  );
}
