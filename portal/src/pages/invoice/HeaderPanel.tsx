import { useState, type FormEvent } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Customer, Invoice, Project } from '../../types.ts';
import type { InvoiceState } from './use-invoice.ts';

/** The recipient the e-mail goes to: the invoice's bill-to address, else the customer's. */
export function recipientOf(invoice: Invoice, customer: Customer | null | undefined): string | null {
  return invoice.billTo?.email ?? invoice.customer?.email ?? customer?.email ?? null;
}

/** What the invoice is: customer, recipient, project, dates, and the header fields (editable on a draft). */
export function HeaderPanel(props: {
  state: InvoiceState;
  invoice: Invoice;
  customer: Customer | null | undefined;
  project: Project | undefined;
  mayEdit: boolean;
}) {
  const { state, invoice, customer, project, mayEdit } = props;
  const { client } = useApp();
  const { t, date } = useI18n();
  const [form, setForm] = useState<{
    buyerReference: string;
    poNumber: string;
    notes: string;
    paymentTermsDays: string;
  }>();
  const recipient = recipientOf(invoice, customer);

  const edit = () =>
    setForm({
      buyerReference: invoice.buyerReference ?? '',
      poNumber: invoice.poNumber ?? '',
      notes: invoice.notes ?? '',
      paymentTermsDays: String(invoice.paymentTermsDays ?? ''),
    });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    const body: {
      buyerReference?: string | null;
      poNumber?: string | null;
      notes?: string | null;
      paymentTermsDays?: number;
    } = {};
    if (form.buyerReference !== (invoice.buyerReference ?? '')) body.buyerReference = form.buyerReference;
    if (form.poNumber !== (invoice.poNumber ?? '')) body.poNumber = form.poNumber;
    if (form.notes !== (invoice.notes ?? '')) body.notes = form.notes;
    if (form.paymentTermsDays !== String(invoice.paymentTermsDays ?? ''))
      body.paymentTermsDays = Number(form.paymentTermsDays);
    if (Object.keys(body).length === 0) {
      setForm(undefined);
      return;
    }
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.PATCH('/invoices/{invoiceId}', {
          params: { path: { invoiceId: invoice.id }, header: ifMatch(invoice.version) },
          body,
        }),
      );
      await state.applied(data, t('headerSaved'));
    });
    if (ok) setForm(undefined);
  };

  return (
    <section aria-labelledby="header-title">
      <h2 id="header-title">{t('header')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('customer')}</dt>
          <dd>{customer?.name ?? invoice.customer?.name ?? invoice.customerId ?? ''}</dd>
        </div>
        <div>
          <dt>{t('recipient')}</dt>
          <dd data-testid="recipient">{recipient ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('project')}</dt>
          <dd>{project?.name ?? invoice.projectId}</dd>
        </div>
        <div>
          <dt>{t('cutOff')}</dt>
          <dd>{date(invoice.cutOff)}</dd>
        </div>
        {invoice.issueDate && (
          <div>
            <dt>{t('issueDate')}</dt>
            <dd>{date(invoice.issueDate)}</dd>
          </div>
        )}
        {invoice.dueDate && (
          <div>
            <dt>{t('dueDate')}</dt>
            <dd>{date(invoice.dueDate)}</dd>
          </div>
        )}
        {invoice.paymentReference && (
          <div>
            <dt>{t('paymentReference')}</dt>
            <dd data-testid="payment-reference">{invoice.paymentReference}</dd>
          </div>
        )}
        {!form && (
          <>
            <div>
              <dt>{t('buyerReference')}</dt>
              <dd>{invoice.buyerReference ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('poNumber')}</dt>
              <dd data-testid="po-number">{invoice.poNumber ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('paymentTerms')}</dt>
              <dd>{invoice.paymentTermsDays ?? ''}</dd>
            </div>
            <div>
              <dt>{t('notes')}</dt>
              <dd>{invoice.notes ?? '—'}</dd>
            </div>
          </>
        )}
      </dl>
      {mayEdit && !form && (
        <button type="button" onClick={edit} disabled={state.busy}>
          {t('editHeader')}
        </button>
      )}
      {form && (
        <form className="stacked-form" onSubmit={(event) => void save(event)}>
          <label>
            {t('buyerReference')}
            <input
              value={form.buyerReference}
              maxLength={100}
              onChange={(event) => setForm({ ...form, buyerReference: event.target.value })}
            />
          </label>
          <label>
            {t('poNumber')}
            <input
              value={form.poNumber}
              maxLength={100}
              onChange={(event) => setForm({ ...form, poNumber: event.target.value })}
            />
          </label>
          <label>
            {t('paymentTerms')}
            <input
              type="number"
              min={0}
              max={365}
              required
              value={form.paymentTermsDays}
              onChange={(event) => setForm({ ...form, paymentTermsDays: event.target.value })}
            />
          </label>
          <label>
            {t('notes')}
            <textarea
              value={form.notes}
              maxLength={2000}
              rows={3}
              onChange={(event) => setForm({ ...form, notes: event.target.value })}
            />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={state.busy}>
              {t('saveHeader')}
            </button>
            <button type="button" onClick={() => setForm(undefined)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
