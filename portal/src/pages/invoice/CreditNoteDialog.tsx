import { useRef, useState, type FormEvent } from 'react';
import { answer, newKey, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import type { InvoiceState } from './use-invoice.ts';

/** Minor units of `net x part / whole` for decimal strings, rounded half up (the preview; the API computes the credit). */
function share(net: number, part: string, whole: string): number {
  const p = Number(part.replace(',', '.'));
  const w = Number(whole);
  if (!Number.isFinite(p) || w === 0) return 0;
  return Math.round((net * p) / w);
}

/** Credit note: the whole invoice, or per detail by quantity, with a preview of the credit before it is made. */
export function CreditNoteDialog(props: { state: InvoiceState; invoice: Invoice; open: boolean; onClose(): void }) {
  const { state, invoice, open, onClose } = props;
  const { client } = useApp();
  const { t, money } = useI18n();
  const [full, setFull] = useState(true);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const key = useRef(newKey());
  const details = state.details?.items ?? [];
  const currency = invoice.currency;
  const chosen = details.filter((detail) => (quantities[detail.id] ?? '').trim() !== '' && detail.net !== 0);
  const net = full
    ? invoice.totals.net
    : chosen.reduce((sum, d) => sum + share(d.net, quantities[d.id] ?? '0', d.quantity), 0);
  const tax = full
    ? invoice.totals.tax
    : chosen.reduce(
        (sum, d) => sum + Math.round((share(d.net, quantities[d.id] ?? '0', d.quantity) * Number(d.tax.rate)) / 100),
        0,
      );

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const body = full
      ? { full: true }
      : {
          details: chosen.map((d) => ({ detailId: d.id, quantity: (quantities[d.id] ?? '').trim().replace(',', '.') })),
        };
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/credit-notes', {
          params: { path: { invoiceId: invoice.id }, header: postHeaders(invoice.version, key.current) },
          body,
        }),
      );
      await state.applied({ invoice: data.invoice }, t('credited', { number: data.creditNote.number ?? '' }));
    });
    if (ok) {
      key.current = newKey();
      setQuantities({});
      onClose();
    }
  };

  return (
    <Dialog open={open} title={t('creditTitle')} onClose={onClose}>
      <form className="stacked-form" onSubmit={(event) => void create(event)}>
        <fieldset>
          <legend>{t('creditNote')}</legend>
          <label className="check">
            <input type="radio" name="credit-kind" checked={full} onChange={() => setFull(true)} />
            {t('creditFull')}
          </label>
          <label className="check">
            <input type="radio" name="credit-kind" checked={!full} onChange={() => setFull(false)} />
            {t('creditPart')}
          </label>
        </fieldset>
        {!full &&
          details
            .filter((detail) => detail.net !== 0)
            .map((detail) => (
              <label key={detail.id}>
                {t('creditQuantity', { description: `${detail.description ?? detail.id} (${detail.quantity})` })}
                <input
                  inputMode="decimal"
                  size={8}
                  value={quantities[detail.id] ?? ''}
                  onChange={(event) => setQuantities({ ...quantities, [detail.id]: event.target.value })}
                />
              </label>
            ))}
        <p role="status" data-testid="credit-preview">
          {full || chosen.length > 0
            ? t('creditPreview', {
                net: money(-net, currency),
                total: money(-(net + tax), currency),
                invoiceTotal: money(invoice.totals.total, currency),
              })
            : t('creditNothing')}
        </p>
        <div className="buttons">
          <button type="submit" className="primary" disabled={state.busy || (!full && chosen.length === 0)}>
            {t('creditNow')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
