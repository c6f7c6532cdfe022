import { useCallback, useEffect, useState } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp, useLookups } from '../../app-context.tsx';
import { currencyExponent, formatDecimal, useI18n } from '../../i18n.tsx';
import { ErrorText, PageTitle, Status } from '../../ui.tsx';
import { TransactionEdit } from './TransactionEdit.tsx';
import { TransactionImport } from './TransactionImport.tsx';
import { netMinor, STATES, type State, stateOf, transactionBody, type Tx } from './transactions.ts';

/** Work per project: its transactions by state with totals; approve, hold, release, edit while unbilled; CSV import. */
export function Work() {
  const { client, can } = useApp();
  const { t, tk, money, date, locale } = useI18n();
  const { projects } = useLookups();
  const [projectId, setProjectId] = useState('');
  const [filter, setFilter] = useState<State | ''>('');
  const [items, setItems] = useState<Tx[]>([]);
  const [error, setError] = useState<unknown>();
  const [editing, setEditing] = useState<Tx>();
  const [saved, setSaved] = useState('');
  const project = projects.get(projectId);

  const load = useCallback(async () => {
    if (!projectId) return setItems([]);
    const all: Tx[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await answer(
        client.GET('/transactions', { params: { query: { projectId, limit: '500', ...(cursor ? { cursor } : {}) } } }),
      );
      all.push(...(data.items as unknown as Tx[]));
      cursor = data.next ?? undefined;
    } while (cursor);
    setItems(all);
  }, [client, projectId]);
  useEffect(() => {
    load().catch(setError);
  }, [load]);

  const change = async (tx: Tx, patch: { approved?: boolean; onHold?: boolean }) => {
    setError(undefined);
    setSaved('');
    try {
      const body = transactionBody(tx);
      await answer(
        client.PUT('/transactions/{transactionId}', {
          params: { path: { transactionId: tx.id }, header: ifMatch(tx.version) },
          body: { ...body, ...patch } as never,
        }),
      );
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  const shown = items.filter((tx) => !filter || stateOf(tx) === filter);
  const currency = project?.currency ?? 'EUR';
  const exponent = currencyExponent(currency);
  const total = shown.reduce((sum, tx) => sum + netMinor(String(tx.quantity), String(tx.unitPrice), exponent), 0n);
  return (
    <>
      <PageTitle>{t('workTitle')}</PageTitle>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('project')}
          <select value={projectId} onChange={(event) => setProjectId(event.target.value)}>
            <option value="">{t('chooseProject')}</option>
            {[...projects.values()].map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('state')}
          <select value={filter} onChange={(event) => setFilter(event.target.value as State | '')}>
            <option value="">{t('all')}</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {tk('txState', state)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorText error={error} />
      {saved && <Status>{t('txSaved', { id: saved })}</Status>}
      {editing && (
        <TransactionEdit
          tx={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setSaved(editing.id);
            setEditing(undefined);
            void load().catch(setError);
          }}
        />
      )}
      {projectId && can('admin') && (
        <TransactionImport projectId={projectId} onImported={() => void load().catch(setError)} />
      )}
      {projectId && (
        <table>
          <caption>{t('workCaption', { count: shown.length, total: money(Number(total), currency) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('description')}</th>
              <th scope="col" className="num">
                {t('quantity')}
              </th>
              <th scope="col" className="num">
                {t('net')}
              </th>
              <th scope="col">{t('state')}</th>
              {can('admin') && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((tx) => {
              const state = stateOf(tx);
              const open = tx.billingState === 'unbilled';
              return (
                <tr key={tx.id}>
                  <td>{date(tx.date)}</td>
                  <td>{String(tx.description ?? '')}</td>
                  <td className="num">{formatDecimal(locale, String(tx.quantity))}</td>
                  <td className="num">
                    {money(Number(netMinor(String(tx.quantity), String(tx.unitPrice), exponent)), currency)}
                  </td>
                  <td>{tk('txState', state)}</td>
                  {can('admin') && (
                    <td className="row-actions">
                      {open && tx.approved === false && (
                        <button type="button" onClick={() => void change(tx, { approved: true })}>
                          {t('approveTx', { id: tx.id })}
                        </button>
                      )}
                      {open && !tx.onHold && (
                        <button type="button" onClick={() => void change(tx, { onHold: true })}>
                          {t('holdTx', { id: tx.id })}
                        </button>
                      )}
                      {open && tx.onHold && (
                        <button type="button" onClick={() => void change(tx, { onHold: false })}>
                          {t('releaseTx', { id: tx.id })}
                        </button>
                      )}
                      {open ? (
                        <button type="button" onClick={() => setEditing(tx)}>
                          {t('editTx', { id: tx.id })}
                        </button>
                      ) : (
                        <LockedNote tx={tx} />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Why a reserved or billed transaction has no edit here, with the invoice it is on. */
function LockedNote({ tx }: { tx: Tx }) {
  const { t } = useI18n();
  const invoice = tx.reservedBy ?? '';
  return (
    <span className="locked">
      {t(tx.billingState === 'billed' ? 'txBilledNote' : 'txReservedNote')}{' '}
      {invoice && <a href={`#/invoices/${encodeURIComponent(invoice)}`}>{t('openInvoice', { id: invoice })}</a>}
    </span>
  );
}
