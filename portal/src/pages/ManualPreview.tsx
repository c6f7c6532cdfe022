import { formatDecimal, useI18n } from '../i18n.tsx';
import type { Preview } from '../types.ts';
import { TotalsList } from '../ui.tsx';

/** Manual invoicing, Next: the totals and details the draft would hold, and what is excluded with its reason. */
export function PreviewTables({ preview, currency }: { preview: Preview; currency: string }) {
  const i18n = useI18n();
  const { t, tk, money, date } = i18n;
  const invoice = preview.invoice;
  return (
    <>
      {preview.outcome === 'nothing_to_invoice' || !invoice ? (
        <p role="status">{t('nothingToInvoice')}</p>
      ) : (
        <>
          <TotalsList totals={invoice.totals} currency={currency} className="facts totals" testIdPrefix="preview" />
          <table>
            <caption>{t('details')}</caption>
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
                <th scope="col" className="num">
                  {t('net')}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.details.slice(0, 200).map((detail) => (
                <tr key={detail.id}>
                  <td>{date(detail.date)}</td>
                  <td>{tk('type', detail.type)}</td>
                  <td>{detail.description ?? ''}</td>
                  <td className="num">{formatDecimal(i18n.locale, detail.quantity)}</td>
                  <td className="num">{formatDecimal(i18n.locale, detail.unitPrice)}</td>
                  <td className="num">{money(detail.net, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {preview.excluded.length > 0 && (
        <table>
          <caption>{t('excludedCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('item')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.excluded.slice(0, 200).map((item) => (
              <tr key={`${item.kind}-${item.id}`}>
                <td>{tk('kind', item.kind)}</td>
                <td>{item.id}</td>
                <td>{tk('reason', item.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
