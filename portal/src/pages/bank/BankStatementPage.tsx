import { useCallback, useEffect, useState } from 'react';
import { query } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice, Page } from '../../types.ts';
import { ErrorText, PageTitle, Status } from '../../ui.tsx';
import type { EntryOutcome, StatementView } from './bank-types.ts';
import { EntryRow } from './EntryRow.tsx';

/** A bank statement's match report: counts per outcome, each entry; confirm proposals, assign unmatched entries. */
export function BankStatementPage({ statementId: routeId }: { statementId: string }) {
  const statementId = routeId.split('?')[0] as string;
  const { api, can } = useApp();
  const { t, dateTime } = useI18n();
  const [view, setView] = useState<StatementView>();
  const [open, setOpen] = useState<Invoice[]>([]);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const again = window.location.hash.endsWith('?again');

  const load = useCallback(async () => {
    setView(await api.get<StatementView>(`/bank-statements/${encodeURIComponent(statementId)}`));
  }, [api, statementId]);

  useEffect(() => {
    load().catch(setError);
  }, [load]);

  // Open invoices to assign unmatched entries to (issued or partially paid).
  const needsInvoices = view?.entries.some((entry) => entry.outcome === 'unmatched') ?? false;
  useEffect(() => {
    if (!needsInvoices || !can('billing')) return;
    void (async () => {
      try {
        const pages = await Promise.all(
          ['issued', 'partially_paid'].map((status) =>
            api.get<Page<Invoice>>(`/invoices${query({ status, limit: 200 })}`),
          ),
        );
        setOpen(pages.flatMap((page) => page.items).filter((invoice) => invoice.kind === 'invoice'));
      } catch (caught) {
        setError(caught);
      }
    })();
  }, [api, can, needsInvoices]);

  const assign = async (entry: EntryOutcome, invoiceId: string, label: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.request('POST', `/bank-entries/${encodeURIComponent(entry.entryId)}/assignment`, {
        body: { invoiceId },
      });
      await load();
      setNotice(t('bankAssigned', { n: entry.position, invoice: label }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('bankReport')}</PageTitle>
      <p>
        <a href="#/bank">{t('bankBack')}</a>
      </p>
      {again && <Status>{t('bankDuplicateDocument')}</Status>}
      {notice && <Status>{notice}</Status>}
      <ErrorText error={error} />
      {view && (
        <>
          <p>
            {t('bankReportOf', {
              ids: view.statements.map((s) => `${s.id} (${s.iban ?? '?'})`).join(', '),
              at: dateTime(view.importedAt),
              user: view.importedBy,
            })}
          </p>
          <p data-testid="bank-counts">
            {t('bankImported', {
              payment: (view.counts.payment ?? 0) + (view.counts.assigned ?? 0),
              proposed: view.counts.proposed ?? 0,
              unmatched: view.counts.unmatched ?? 0,
              duplicate: view.counts.duplicate ?? 0,
              ignored: view.counts.ignored ?? 0,
            })}
          </p>
          <table data-testid="bank-report">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('bankColPosition')}
                </th>
                <th scope="col">{t('bankColDate')}</th>
                <th scope="col" className="num">
                  {t('bankColAmount')}
                </th>
                <th scope="col">{t('bankColDebtor')}</th>
                <th scope="col">{t('bankColReference')}</th>
                <th scope="col">{t('bankColOutcome')}</th>
                <th scope="col">{t('bankColInvoice')}</th>
                <th scope="col">{t('bankColAction')}</th>
              </tr>
            </thead>
            <tbody>
              {view.entries.map((entry) => (
                <EntryRow
                  key={entry.position}
                  entry={entry}
                  busy={busy}
                  open={open}
                  choice={choice[entry.entryId] ?? ''}
                  onChoose={(invoiceId) => setChoice({ ...choice, [entry.entryId]: invoiceId })}
                  onAssign={(invoiceId, label) => void assign(entry, invoiceId, label)}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
