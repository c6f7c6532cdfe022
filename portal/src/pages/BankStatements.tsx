import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { newKey, query } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { currencyExponent, decimalToMinor, useI18n } from '../i18n.tsx';
import type { Invoice, Page } from '../types.ts';
import { ErrorText, PageTitle, Status } from '../ui.tsx';

/** Bank statements (issue 13): upload a CAMT.053 file, read its match report, confirm proposals, assign entries. */
interface EntryOutcome {
  readonly position: number;
  readonly entryId: string;
  readonly outcome: string;
  readonly amount: string;
  readonly currency: string;
  readonly direction: 'credit' | 'debit';
  readonly bookingDate: string | null;
  readonly debtorName: string | null;
  readonly references: readonly string[];
  readonly unstructured: string;
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly invoiceNumber: string | null;
  readonly customerId: string | null;
  readonly unapplied: number | null;
  readonly duplicateOf: { statementId: string; position: number } | null;
}

interface StatementView {
  readonly id: string;
  readonly status: string;
  readonly statements: readonly { id: string; iban: string | null }[];
  readonly importedAt: string;
  readonly importedBy: string;
  readonly duplicate: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly entries: readonly EntryOutcome[];
}

interface StatementSummary {
  readonly id: string;
  readonly statements: readonly { id: string; iban: string | null }[];
  readonly lineCount: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

export function BankStatements() {
  const { api, can, navigate } = useApp();
  const { t, dateTime } = useI18n();
  const [list, setList] = useState<Page<StatementSummary>>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const key = useRef(newKey());

  useEffect(() => {
    api
      .get<Page<StatementSummary>>(`/bank-statements${query({ limit: 20 })}`)
      .then(setList)
      .catch(setError);
  }, [api]);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      setError(new Error(t('bankChooseFile')));
      return;
    }
    setBusy(true);
    try {
      const response = await api.request<StatementView>('POST', '/bank-statements', {
        document: { content: await chosen.text(), contentType: 'application/xml' },
        idempotencyKey: key.current,
      });
      key.current = newKey();
      navigate(`#/bank/${encodeURIComponent(response.body.id)}${response.body.duplicate ? '?again' : ''}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('bankTitle')}</PageTitle>
      {can('billing') && (
        <section aria-labelledby="upload-title">
          <h2 id="upload-title">{t('bankUpload')}</h2>
          <p id="upload-hint">{t('bankUploadHint')}</p>
          <form className="inline-form" onSubmit={(event) => void upload(event)}>
            <label>
              {t('bankFile')}
              <input
                ref={file}
                type="file"
                name="statement"
                accept=".xml,application/xml,text/xml"
                aria-describedby="upload-hint"
              />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t('bankImport')}
            </button>
          </form>
        </section>
      )}
      <ErrorText error={error} />
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('bankList')}</h2>
        {list && list.items.length === 0 && <p>{t('bankNone')}</p>}
        {list && list.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bankStatementIds')}</th>
                <th scope="col">{t('bankImportedAt')}</th>
                <th scope="col" className="num">
                  {t('bankLines')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((statement) => (
                <tr key={statement.id}>
                  <td>
                    <a
                      href={`#/bank/${encodeURIComponent(statement.id)}`}
                      aria-label={t('bankOpenReport', { id: statement.statements.map((s) => s.id).join(', ') })}
                    >
                      {statement.statements.map((s) => s.id).join(', ')}
                    </a>
                  </td>
                  <td>
                    {dateTime(statement.importedAt)} ({statement.importedBy})
                  </td>
                  <td className="num">{statement.lineCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export function BankStatementPage({ statementId: routeId }: { statementId: string }) {
  const statementId = routeId.split('?')[0] as string;
  const { api, can } = useApp();
  const { t, tk, money, date, dateTime } = useI18n();
  const { customers } = useLookups();
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

  const invoiceLabel = (invoice: Invoice) =>
    `${invoice.number ?? invoice.id} · ${customers.get(invoice.customerId ?? '')?.name ?? invoice.customerId ?? ''} · ${money(invoice.totals.balance, invoice.currency)}`;

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
              {view.entries.map((entry) => {
                const minor =
                  (decimalToMinor(entry.amount, currencyExponent(entry.currency)) ?? 0) *
                  (entry.direction === 'debit' ? -1 : 1);
                const label = entry.invoiceNumber ?? entry.invoiceId ?? '';
                const selectId = `assign-${entry.position}`;
                return (
                  <tr key={entry.position} data-testid={`entry-${entry.position}`}>
                    <td className="num">{entry.position}</td>
                    <td>{date(entry.bookingDate)}</td>
                    <td className="num">{money(minor, entry.currency)}</td>
                    <td>{entry.debtorName ?? ''}</td>
                    <td>{[...entry.references, entry.unstructured].filter(Boolean).join(' · ')}</td>
                    <td data-testid={`outcome-${entry.position}`}>
                      {tk('bankOutcome', entry.outcome)}
                      {entry.reason ? ` (${tk('bankReason', entry.reason)})` : ''}
                      {entry.duplicateOf ? ` (${t('bankDuplicateOf', { n: entry.duplicateOf.position })})` : ''}
                      {entry.unapplied
                        ? ` · ${t('bankKeptOnCustomer', { amount: money(entry.unapplied, entry.currency) })}`
                        : ''}
                    </td>
                    <td>
                      {entry.invoiceId ? <a href={`#/invoices/${encodeURIComponent(entry.invoiceId)}`}>{label}</a> : ''}
                    </td>
                    <td>
                      {can('billing') && entry.outcome === 'proposed' && entry.invoiceId && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void assign(entry, entry.invoiceId as string, label)}
                        >
                          {t('bankConfirm', { invoice: label })}
                        </button>
                      )}
                      {can('billing') && entry.outcome === 'unmatched' && (
                        <div className="inline-form">
                          <label htmlFor={selectId}>{t('bankAssignTo', { n: entry.position })}</label>
                          <select
                            id={selectId}
                            value={choice[entry.entryId] ?? ''}
                            onChange={(event) => setChoice({ ...choice, [entry.entryId]: event.target.value })}
                          >
                            <option value="">{t('bankChooseInvoice')}</option>
                            {open.map((invoice) => (
                              <option key={invoice.id} value={invoice.id}>
                                {invoiceLabel(invoice)}
                              </option>
                            ))}
                          </select>
                          <button
                            type="button"
                            disabled={busy || !choice[entry.entryId]}
                            onClick={() => {
                              const invoice = open.find((candidate) => candidate.id === choice[entry.entryId]);
                              if (invoice) void assign(entry, invoice.id, invoice.number ?? invoice.id);
                            }}
                          >
                            {t('bankAssign')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
