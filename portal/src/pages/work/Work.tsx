import { useCallback, useEffect, useState } from 'react';
import { answer, ifMatch } from '../../api.ts';
import { useApp, useLookups } from '../../app-context.tsx';
import { currencyExponent, formatDecimal, useI18n } from '../../i18n.tsx';
import { ErrorText, PageTitle } from '../../ui.tsx';
import { TransactionImport } from './TransactionImport.tsx';

type Tx = Record<string, unknown> & {
  id: string;
  version: number;
  billingState: string;
  date: string;
  approved?: boolean;
  onHold?: boolean;
};
const STATES = ['unbilled', 'on_hold', 'not_approved', 'reserved', 'billed'] as const;
type State = (typeof STATES)[number];
const INPUT_FIELDS = [
  'projectId',
  'type',
  'date',
  'contractLineId',
  'resource',
  'orgUnit',
  'description',
  'printedDescription',
  'quantity',
  'unit',
  'unitPrice',
  'tax',
  'billingType',
  'approved',
  'onHold',
];

/** The state of a transaction as billing staff see it. */
export function stateOf(tx: Tx): State {
  if (tx.billingState === 'billed') return 'billed';
  if (tx.billingState === 'reserved') return 'reserved';
  if (tx.approved === false) return 'not_approved';
  return tx.onHold ? 'on_hold' : 'unbilled';
}

/** A decimal string as an integer scaled by 10^4 (the API's decimals have at most 4 places). */
function scaled(text: string): bigint {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole + fraction.padEnd(4, '0').slice(0, 4));
  return text.startsWith('-') ? -value : value;
}

/** Exact net of quantity x unit price in the currency's minor units, half up, from the decimal strings. */
export function netMinor(quantity: string, unitPrice: string, exponent: number): bigint {
  const product = scaled(quantity) * scaled(unitPrice); // scale 10^8
  const unit = 10n ** BigInt(8 - exponent);
  return (product >= 0n ? product + unit / 2n : product - unit / 2n) / unit;
}

/** Work per project: its transactions by state with totals; approve, hold, release while unbilled; CSV import. */
export function Work() {
  const { client, can } = useApp();
  const { t, tk, money, date, locale } = useI18n();
  const { projects } = useLookups();
  const [projectId, setProjectId] = useState('');
  const [filter, setFilter] = useState<State | ''>('');
  const [items, setItems] = useState<Tx[]>([]);
  const [error, setError] = useState<unknown>();
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
    try {
      const body = Object.fromEntries(INPUT_FIELDS.filter((key) => tx[key] !== undefined).map((key) => [key, tx[key]]));
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
