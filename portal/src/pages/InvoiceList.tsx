import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { query } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import { invoiceStatuses, type Invoice, type Page } from '../types.ts';
import { BulkSendPanel, useBulkSend } from './BulkSend.tsx';
import { RunDateDrafts } from './RunDateDrafts.tsx';
import { ErrorText, firstPage, PageTitle, Pager, StatusBadge, type CursorState } from '../ui.tsx';

interface Filters {
  status: string;
  customerId: string;
  projectId: string;
  from: string;
  to: string;
}

const noFilters: Filters = { status: '', customerId: '', projectId: '', from: '', to: '' };
const PAGE_SIZE = 20;
const sendable = new Set(['draft', 'in_review']);

export function InvoiceList() {
  const { api, can } = useApp();
  const { t, tk, money, date } = useI18n();
  const { customers, projects } = useLookups();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [paging, setPaging] = useState<CursorState>(firstPage);
  const [page, setPage] = useState<Page<Invoice>>();
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<Map<string, Invoice>>(new Map());
  const [reloads, setReloads] = useState(0);
  const bulk = useBulkSend(
    useCallback(() => {
      setSelected(new Map());
      setReloads((n) => n + 1);
    }, []),
  );
  const mayBulk = can('billing');

  useEffect(() => {
    if (reloads < 0) return; // reloads: after a bulk send, the statuses shown are read again
    let live = true;
    setError(undefined);
    const cursor = paging.cursors[paging.index] ?? undefined;
    api
      .get<Page<Invoice>>(`/invoices${query({ ...filters, limit: PAGE_SIZE, cursor })}`)
      .then((result) => live && setPage(result))
      .catch((caught: unknown) => live && setError(caught));
    return () => {
      live = false;
    };
  }, [api, filters, paging, reloads]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setPaging(firstPage);
  };
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: event.target.value });
  const projectChoices = [...projects.values()]
    .filter((project) => !draft.customerId || project.customerId === draft.customerId)
    .sort((a, b) => a.name.localeCompare(b.name));

  const label = (invoice: Invoice) => invoice.number ?? t('draftLabel', { id: invoice.id.slice(0, 12) });
  const labels = new Map([...(page?.items ?? []), ...selected.values()].map((invoice) => [invoice.id, label(invoice)]));

  return (
    <>
      <PageTitle>{t('invoicesTitle')}</PageTitle>
      <form className="filters" onSubmit={apply} aria-label={t('filters')}>
        <label>
          {t('status')}
          <select value={draft.status} onChange={set('status')}>
            <option value="">{t('all')}</option>
            {invoiceStatuses.map((status) => (
              <option key={status} value={status}>
                {tk('status', status)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customer')}
          <select value={draft.customerId} onChange={set('customerId')}>
            <option value="">{t('all')}</option>
            {[...customers.values()]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((customer) => (
                <option key={customer.id} value={customer.id}>
                  {customer.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('project')}
          <select value={draft.projectId} onChange={set('projectId')}>
            <option value="">{t('all')}</option>
            {projectChoices.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('createdFrom')}
          <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          {t('createdTo')}
          <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('applyFilters')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(noFilters);
              setFilters(noFilters);
              setPaging(firstPage);
            }}
          >
            {t('clearFilters')}
          </button>
        </div>
      </form>
      <ErrorText error={error} />
      {page && page.items.length === 0 && <p role="status">{t('noInvoices')}</p>}
      {page && page.items.length > 0 && (
        <table>
          <caption>{t('invoiceList')}</caption>
          <thead>
            <tr>
              {mayBulk && <th scope="col">{t('select', { id: '' })}</th>}
              <th scope="col">{t('invoice')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('project')}</th>
              <th scope="col">{t('cutOff')}</th>
              <th scope="col" className="num">
                {t('total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((invoice) => (
              <tr key={invoice.id}>
                {mayBulk && (
                  <td>
                    {sendable.has(invoice.status) && (
                      <input
                        type="checkbox"
                        aria-label={t('select', { id: label(invoice) })}
                        checked={selected.has(invoice.id)}
                        onChange={(event) => {
                          const next = new Map(selected);
                          if (event.target.checked) next.set(invoice.id, invoice);
                          else next.delete(invoice.id);
                          setSelected(next);
                        }}
                      />
                    )}
                  </td>
                )}
                <td>
                  <a href={`#/invoices/${encodeURIComponent(invoice.id)}`}>{label(invoice)}</a>
                </td>
                <td>
                  <StatusBadge status={invoice.status} />
                </td>
                <td>{(invoice.customerId && customers.get(invoice.customerId)?.name) ?? invoice.customerId ?? ''}</td>
                <td>{projects.get(invoice.projectId)?.name ?? invoice.projectId}</td>
                <td>{date(invoice.cutOff)}</td>
                <td className="num">{money(invoice.totals.total, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayBulk && (
        <RunDateDrafts
          disabled={bulk.running}
          onChoose={(invoices) => setSelected(new Map(invoices.map((invoice) => [invoice.id, invoice])))}
        />
      )}
      {mayBulk && <BulkSendPanel bulk={bulk} selected={[...selected.values()]} labels={labels} />}
      {page && (
        <Pager
          label={t('invoicesTitle')}
          page={paging.index + 1}
          hasPrevious={paging.index > 0}
          hasNext={Boolean(page.next)}
          onPrevious={() => setPaging({ ...paging, index: paging.index - 1 })}
          onNext={() =>
            setPaging({ cursors: [...paging.cursors.slice(0, paging.index + 1), page.next], index: paging.index + 1 })
          }
        />
      )}
    </>
  );
}
