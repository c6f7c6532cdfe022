import { useState, type FormEvent } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { formatDecimal, useI18n } from '../../i18n.tsx';
import type { BillingType, Invoice } from '../../types.ts';
import { Pager } from '../../ui.tsx';
import { DETAIL_PAGE, type InvoiceState } from './use-invoice.ts';

interface EditState {
  readonly id: string;
  quantity: string;
  unitPrice: string;
  description: string;
  billingType: BillingType;
}

const billingTypes = ['chargeable', 'complimentary', 'non_chargeable'] as const;

/** The details of the invoice in (date, id) order, paged; on a draft each row can be edited inline or removed. */
export function DetailsTable({ state, invoice, mayEdit }: { state: InvoiceState; invoice: Invoice; mayEdit: boolean }) {
  const { client } = useApp();
  const i18n = useI18n();
  const { t, tk, money, date } = i18n;
  const [editing, setEditing] = useState<EditState>();
  const { details, paging, busy } = state;
  if (!details) return null;
  const offset = paging.index * DETAIL_PAGE;
  const currency = invoice.currency;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const original = details.items.find((detail) => detail.id === editing.id);
    if (!original) return;
    const body: Record<string, string> = {};
    if (editing.quantity !== original.quantity) body.quantity = editing.quantity.trim().replace(',', '.');
    if (editing.unitPrice !== original.unitPrice) body.unitPrice = editing.unitPrice.trim().replace(',', '.');
    if (editing.description !== (original.description ?? '')) body.description = editing.description;
    if (editing.billingType !== original.billingType) body.billingType = editing.billingType;
    if (Object.keys(body).length === 0) {
      setEditing(undefined);
      return;
    }
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.PATCH('/invoices/{invoiceId}/details/{detailId}', {
          params: { path: { invoiceId: invoice.id, detailId: editing.id }, header: ifMatch(invoice.version) },
          body,
        }),
      );
      await state.applied(data, t('saved', { total: money(data.invoice.totals.total, currency) }));
    });
    if (ok) setEditing(undefined);
  };

  const remove = (detailId: string) =>
    state.change(async () => {
      const { data } = await answer(
        client.DELETE('/invoices/{invoiceId}/details/{detailId}', {
          params: { path: { invoiceId: invoice.id, detailId }, header: ifMatch(invoice.version) },
        }),
      );
      await state.applied(data, t('detailRemoved'));
    });

  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{t('details')}</h2>
      <form onSubmit={(event) => void save(event)}>
        <table>
          <caption>
            {t('detailsCaption', {
              from: details.items.length ? offset + 1 : 0,
              to: offset + details.items.length,
              count: invoice.detailCount ?? details.items.length,
            })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('type')}</th>
              <th scope="col">{t('description')}</th>
              <th scope="col" className="num">
                {t('quantity')}
              </th>
              <th scope="col" className="num">
                {t('unitPrice')}
              </th>
              <th scope="col">{t('billingType')}</th>
              <th scope="col" className="num">
                {t('net')}
              </th>
              {mayEdit && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {details.items.map((detail, index) =>
              editing?.id === detail.id ? (
                // its own key: a reused Edit <button> turned type=submit would submit the form on the same click
                <tr key={`${detail.id}:editing`} className="editing">
                  <td>{date(detail.date)}</td>
                  <td>{tk('type', detail.type)}</td>
                  <td>
                    <input
                      aria-label={t('description')}
                      value={editing.description}
                      onChange={(event) => setEditing({ ...editing, description: event.target.value })}
                      maxLength={500}
                      required
                    />
                  </td>
                  <td className="num">
                    <input
                      aria-label={t('quantity')}
                      inputMode="decimal"
                      size={8}
                      value={editing.quantity}
                      onChange={(event) => setEditing({ ...editing, quantity: event.target.value })}
                      required
                    />
                  </td>
                  <td className="num">
                    <input
                      aria-label={t('unitPrice')}
                      inputMode="decimal"
                      size={10}
                      value={editing.unitPrice}
                      onChange={(event) => setEditing({ ...editing, unitPrice: event.target.value })}
                      required
                    />
                  </td>
                  <td>
                    <select
                      aria-label={t('billingType')}
                      value={editing.billingType}
                      onChange={(event) => setEditing({ ...editing, billingType: event.target.value as BillingType })}
                    >
                      {billingTypes.map((billing) => (
                        <option key={billing} value={billing}>
                          {tk('billing', billing)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="num">{money(detail.net, currency)}</td>
                  <td className="row-actions">
                    <button type="submit" className="primary" disabled={busy}>
                      {t('save')}
                    </button>
                    <button type="button" onClick={() => setEditing(undefined)}>
                      {t('cancel')}
                    </button>
                  </td>
                </tr>
              ) : (
                <tr key={detail.id}>
                  <td>{date(detail.date)}</td>
                  <td>{tk('type', detail.type)}</td>
                  <td>{detail.description ?? ''}</td>
                  <td className="num">{formatDecimal(i18n.locale, detail.quantity)}</td>
                  <td className="num">{formatDecimal(i18n.locale, detail.unitPrice)}</td>
                  <td>{tk('billing', detail.billingType)}</td>
                  <td className="num">{money(detail.net, currency)}</td>
                  {mayEdit && (
                    <td>
                      <button
                        type="button"
                        aria-label={t('editRow', { n: offset + index + 1 })}
                        onClick={() =>
                          setEditing({
                            id: detail.id,
                            quantity: detail.quantity,
                            unitPrice: detail.unitPrice,
                            description: detail.description ?? '',
                            billingType: detail.billingType,
                          })
                        }
                        disabled={busy || editing !== undefined}
                      >
                        {t('edit')}
                      </button>{' '}
                      <button
                        type="button"
                        aria-label={t('removeRow', { n: offset + index + 1 })}
                        onClick={() => void remove(detail.id)}
                        disabled={busy || editing !== undefined}
                      >
                        {t('remove')}
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </form>
      {(details.next || paging.index > 0) && (
        <Pager
          label={t('details')}
          page={paging.index + 1}
          hasPrevious={paging.index > 0}
          hasNext={Boolean(details.next)}
          onPrevious={() => state.goToPage({ ...paging, index: paging.index - 1 })}
          onNext={() =>
            state.goToPage({
              cursors: [...paging.cursors.slice(0, paging.index + 1), details.next],
              index: paging.index + 1,
            })
          }
        />
      )}
    </section>
  );
}
