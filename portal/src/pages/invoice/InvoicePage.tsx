import { useEffect, useState } from 'react';
import { answer } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import { ErrorText, PageTitle, Status, StatusBadge, TotalsList } from '../../ui.tsx';
import { ManualDetailForm } from './ManualDetailForm.tsx';
import { DetailsTable } from './DetailsTable.tsx';
import { Deliveries } from './Deliveries.tsx';
import { ExcludedWorkList } from './ExcludedWorkList.tsx';
import { HeaderPanel, recipientOf } from './HeaderPanel.tsx';
import { HistoryTable } from './HistoryTable.tsx';
import { InvoiceActions } from './InvoiceActions.tsx';
import { PaymentForm } from './PaymentForm.tsx';
import { PaymentList } from './PaymentList.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { useInvoice } from './use-invoice.ts';

const editable = new Set(['draft', 'in_review']);
const payable = new Set(['issued', 'partially_paid']);

/** One invoice: header, totals, review, actions, excluded work, details, payments, deliveries, history. */
export function InvoicePage({ invoiceId }: { invoiceId: string }) {
  const { client, can } = useApp();
  const { t } = useI18n();
  const state = useInvoice(invoiceId);
  const [reviewOn, setReviewOn] = useState(false);
  useEffect(() => {
    answer(client.GET('/settings'))
      .then(({ data }) => setReviewOn(data.reviewBeforeSend))
      .catch(() => setReviewOn(false));
  }, [client]);
  const { invoice, conflict, error } = state;
  if (!invoice) return error ? <ErrorText error={error} /> : <p role="status">{t('loading')}</p>;

  const mayEdit = can('billing') && editable.has(invoice.status) && conflict === undefined;
  const approved = invoice.status === 'in_review' && Boolean(invoice.review?.approvedBy);
  const maySend = mayEdit && (!reviewOn || approved);
  const recipient = recipientOf(invoice, state.customer);
  const issued = invoice.number !== null && invoice.number !== undefined;
  const title = issued ? t('invoiceNumber', { number: invoice.number ?? '' }) : t('draftLabel', { id: invoice.id });

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="meta">
        <StatusBadge status={invoice.status} /> · {t('version', { version: invoice.version })}
      </p>
      <HeaderPanel
        state={state}
        invoice={invoice}
        customer={state.customer}
        project={state.project}
        mayEdit={mayEdit}
      />

      <section aria-labelledby="totals-title" className="totals">
        <h2 id="totals-title">{t('totals')}</h2>
        <TotalsList totals={invoice.totals} currency={invoice.currency} testIdPrefix="invoice" withPayments />
      </section>

      {conflict !== undefined && (
        <div role="alert" className="conflict">
          <p>{t('conflict', { version: Number.isNaN(conflict) ? '?' : conflict })}</p>
          <button type="button" className="primary" onClick={() => void state.reload()}>
            {t('reload')}
          </button>
        </div>
      )}
      {state.notice && <Status>{state.notice}</Status>}
      {state.problems.length > 0 && (
        <div role="alert" className="error">
          <p>{t('problems')}</p>
          <ul>
            {state.problems.map((problem) => (
              <li key={`${problem.field}-${problem.message}`}>
                {problem.field}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorText error={error} />

      <InvoiceActions state={state} invoice={invoice} recipient={recipient} mayEdit={mayEdit} maySend={maySend} />
      <ReviewPanel state={state} invoice={invoice} reviewOn={reviewOn} mayEdit={mayEdit} />
      {can('billing') && payable.has(invoice.status) && conflict === undefined && (
        <PaymentForm state={state} invoice={invoice} />
      )}
      <PaymentList state={state} invoice={invoice} mayReverse={can('billing') && conflict === undefined} />
      {editable.has(invoice.status) && <ExcludedWorkList state={state} invoice={invoice} />}
      <DetailsTable state={state} invoice={invoice} mayEdit={mayEdit} />
      {mayEdit && <ManualDetailForm state={state} invoice={invoice} />}
      {issued && <Deliveries state={state} invoice={invoice} recipient={recipient} mayResend={can('billing')} />}
      <HistoryTable history={state.history} currency={invoice.currency} />
    </>
  );
}
