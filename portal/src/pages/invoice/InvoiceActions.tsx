import { useEffect, useRef, useState } from 'react';
import { answer, ApiError, ifMatch, newKey, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import { CreditNoteDialog } from './CreditNoteDialog.tsx';
import type { InvoiceState } from './use-invoice.ts';

const hasDocument = new Set(['issued', 'partially_paid', 'paid', 'cancelled']);
const creditable = new Set(['issued', 'partially_paid', 'paid']);

/** Recalculate, Send (the confirmation names the real recipient), Discard, View PDF, Credit note. */
export function InvoiceActions(props: {
  state: InvoiceState;
  invoice: Invoice;
  recipient: string | null;
  mayEdit: boolean;
  maySend: boolean;
}) {
  const { state, invoice, recipient, mayEdit, maySend } = props;
  const { api, client, can, navigate } = useApp();
  const { t, money } = useI18n();
  const [dialog, setDialog] = useState<'send' | 'discard' | 'credit'>();
  const [pdfUrl, setPdfUrl] = useState<string>();
  const sendKey = useRef(newKey());
  const path = { invoiceId: invoice.id };
  useEffect(
    () => () => {
      if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    },
    [pdfUrl],
  );

  const recalculate = () =>
    state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/recalculate', {
          params: { path, header: postHeaders(invoice.version) },
          body: {},
        }),
      );
      await state.applied(data, t('recalculated', { total: money(data.invoice.totals.total, invoice.currency) }));
    });

  const send = async () => {
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/send', {
          params: { path, header: postHeaders(invoice.version, sendKey.current) },
        }),
      );
      await state.applied(
        { invoice: data.invoice },
        t('sent', { number: data.invoice.number ?? '', email: data.delivery?.to ?? recipient ?? '' }),
      );
    });
    if (ok) sendKey.current = newKey();
    setDialog(undefined);
  };

  const discard = async () => {
    const ok = await state.change(async () => {
      await answer(client.DELETE('/invoices/{invoiceId}', { params: { path, header: ifMatch(invoice.version) } }));
    });
    setDialog(undefined);
    if (ok) navigate('#/invoices');
  };

  const viewPdf = () =>
    state.change(async () => {
      try {
        const blob = await api.blob(`/invoices/${encodeURIComponent(invoice.id)}/pdf`);
        const url = URL.createObjectURL(
          blob.type === 'application/pdf' ? blob : new Blob([blob], { type: 'application/pdf' }),
        );
        setPdfUrl(url);
        window.open(url, '_blank', 'noopener');
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 404 && !caught.problem.type)
          throw new Error(t('pdfUnavailable'));
        throw caught;
      }
    });

  return (
    <div className="actions">
      {!can('billing') && <p>{t('readOnly')}</p>}
      {mayEdit && (
        <button type="button" onClick={() => void recalculate()} disabled={state.busy}>
          {t('recalculate')}
        </button>
      )}
      {maySend && (
        <button type="button" className="primary" onClick={() => setDialog('send')} disabled={state.busy}>
          {t('send')}
        </button>
      )}
      {mayEdit && (
        <button type="button" className="danger" onClick={() => setDialog('discard')} disabled={state.busy}>
          {t('discard')}
        </button>
      )}
      {hasDocument.has(invoice.status) && (
        <button type="button" onClick={() => void viewPdf()} disabled={state.busy}>
          {t('viewPdf')}
        </button>
      )}
      {can('billing') && invoice.kind === 'invoice' && creditable.has(invoice.status) && (
        <button type="button" onClick={() => setDialog('credit')} disabled={state.busy}>
          {t('creditNote')}
        </button>
      )}
      {pdfUrl && (
        <a href={pdfUrl} target="_blank" rel="noopener">
          {t('openPdf')}
        </a>
      )}

      <Dialog open={dialog === 'send'} title={t('sendTitle')} onClose={() => setDialog(undefined)}>
        {recipient ? (
          <>
            <p>{t('sendConfirm', { email: recipient })}</p>
            <p>{t('recipientNote')}</p>
          </>
        ) : (
          <p>{t('sendNoEmail')}</p>
        )}
        <div className="buttons">
          <button type="button" className="primary" onClick={() => void send()} disabled={state.busy || !recipient}>
            {t('sendNow')}
          </button>
          <button type="button" onClick={() => setDialog(undefined)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>
      <Dialog open={dialog === 'discard'} title={t('discard')} onClose={() => setDialog(undefined)}>
        <p>{t('discardConfirm')}</p>
        <div className="buttons">
          <button type="button" className="danger" onClick={() => void discard()} disabled={state.busy}>
            {t('discard')}
          </button>
          <button type="button" onClick={() => setDialog(undefined)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>
      <CreditNoteDialog
        state={state}
        invoice={invoice}
        open={dialog === 'credit'}
        onClose={() => setDialog(undefined)}
      />
    </div>
  );
}
