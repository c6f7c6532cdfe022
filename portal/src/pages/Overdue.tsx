import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newKey, query } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import { ErrorText, firstPage, PageTitle, Pager, Status, today, type CursorState } from '../ui.tsx';
import { reminderText, type ReminderTextKey } from './reminders-text.ts';

interface Pause {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

interface OverdueInvoice {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly customer: string;
  readonly dueDate: string;
  readonly daysOverdue: number;
  readonly openAmount: number;
  readonly currency: string;
  readonly lastReminder: { level: number; date: string } | null;
  readonly paused: Pause | null;
}

interface ReminderHistory {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly version: number;
  readonly dueDate: string | null;
  readonly daysOverdue: number;
  readonly openAmount: number;
  readonly currency: string;
  readonly paused: Pause | null;
  readonly next: { level: number; on: string } | null;
  readonly reminders: {
    level: number;
    date: string;
    subject: string | null;
    deliveryStatus: string;
    lateInterest: { interest: number; compensation: number } | null;
  }[];
  readonly pauses: { action: 'paused' | 'resumed'; reason: string; by: string; at: string }[];
  readonly failures: { date: string; error: string }[];
}

const PAGE = 25;

/** Overdue invoices (days overdue, last reminder), and one invoice's reminders with pause and resume. */
export function Overdue({ invoiceId }: { invoiceId?: string | undefined }) {
  return invoiceId ? <InvoiceReminders invoiceId={invoiceId} /> : <OverdueList />;
}

function OverdueList() {
  const { api } = useApp();
  const { locale, money, date } = useI18n();
  const r = reminderText(locale);
  const [day, setDay] = useState(today());
  const [shown, setShown] = useState(today());
  const [paging, setPaging] = useState<CursorState>(firstPage);
  const [page, setPage] = useState<{ items: OverdueInvoice[]; next: string | null }>();
  const [error, setError] = useState<unknown>();
  const asked = useRef({ shown, paging });
  asked.current = { shown, paging };

  const load = useCallback(
    async (onDate: string, state: CursorState) => {
      const answer = await api.get<{ items: OverdueInvoice[]; next: string | null }>(
        `/overdue-invoices${query({ date: onDate, limit: PAGE, cursor: state.cursors[state.index] ?? undefined })}`,
      );
      if (asked.current.shown === onDate && asked.current.paging === state) setPage(answer);
    },
    [api],
  );
  useEffect(() => {
    setError(undefined);
    load(shown, paging).catch(setError);
  }, [load, shown, paging]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPaging(firstPage);
    setShown(day);
  };

  return (
    <>
      <PageTitle>{r('overdueTitle')}</PageTitle>
      <p>{r('overdueIntro')}</p>
      <form className="filters" onSubmit={submit}>
        <label>
          {r('onDate')} <input type="date" value={day} onChange={(event) => setDay(event.target.value)} required />
        </label>
        <button type="submit">{r('show')}</button>
      </form>
      <ErrorText error={error} />
      {page && page.items.length === 0 && <p>{r('noneOverdue')}</p>}
      {page && page.items.length > 0 && (
        <table data-testid="overdue-table">
          <caption>{r('overdueCaption', { date: date(shown) })}</caption>
          <thead>
            <tr>
              <th scope="col">{r('number')}</th>
              <th scope="col">{r('customer')}</th>
              <th scope="col">{r('dueDate')}</th>
              <th scope="col" className="num">
                {r('daysOverdue')}
              </th>
              <th scope="col" className="num">
                {r('openAmount')}
              </th>
              <th scope="col">{r('lastReminder')}</th>
              <th scope="col">{r('reminders')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.invoiceId} data-testid={`overdue-${item.invoiceId}`}>
                <td>
                  <a href={`#/invoices/${encodeURIComponent(item.invoiceId)}`}>{item.number ?? item.invoiceId}</a>
                </td>
                <td>{item.customer}</td>
                <td>{date(item.dueDate)}</td>
                <td className="num" data-testid="days-overdue">
                  {item.daysOverdue}
                </td>
                <td className="num">{money(item.openAmount, item.currency)}</td>
                <td data-testid="last-reminder">
                  {item.lastReminder
                    ? r('levelOn', { level: item.lastReminder.level, date: date(item.lastReminder.date) })
                    : r('none')}
                </td>
                <td>
                  <span data-testid="reminder-state">{item.paused ? r('paused') : r('active')}</span>{' '}
                  <a
                    href={`#/overdue/${encodeURIComponent(item.invoiceId)}`}
                    aria-label={r('showHistory', { number: item.number ?? item.invoiceId })}
                  >
                    {r('history')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (page.next || paging.index > 0) && (
        <Pager
          label={r('overdueTitle')}
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

function InvoiceReminders({ invoiceId }: { invoiceId: string }) {
  const { api, can } = useApp();
  const { locale, money, date, dateTime } = useI18n();
  const r = reminderText(locale);
  const [history, setHistory] = useState<ReminderHistory>();
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string>(newKey());

  const load = useCallback(async () => {
    setHistory(await api.get<ReminderHistory>(`/invoices/${encodeURIComponent(invoiceId)}/reminders`));
  }, [api, invoiceId]);
  useEffect(() => {
    load().catch(setError);
  }, [load]);

  const change = async (event: FormEvent) => {
    event.preventDefault();
    if (!history) return;
    const action = history.paused ? 'resume' : 'pause';
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.request('POST', `/invoices/${encodeURIComponent(invoiceId)}/reminders/${action}`, {
        body: { reason },
        ifMatch: history.version,
        idempotencyKey: key.current,
      });
      key.current = newKey();
      setReason('');
      setNotice(r(action === 'pause' ? 'pausedNotice' : 'resumedNotice', { number: history.number ?? invoiceId }));
      await load();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        key.current = newKey();
        setNotice(r('staleReload'));
        await load().catch(setError);
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const number = history?.number ?? invoiceId;
  return (
    <>
      <PageTitle>{r('historyOf', { number })}</PageTitle>
      <p>
        <a href="#/overdue">{r('back')}</a>
      </p>
      <ErrorText error={error} />
      {notice && <Status>{notice}</Status>}
      {history && (
        <>
          <dl className="facts">
            <dt>{r('dueDate')}</dt>
            <dd>{date(history.dueDate)}</dd>
            <dt>{r('daysOverdue')}</dt>
            <dd>{history.daysOverdue}</dd>
            <dt>{r('openAmount')}</dt>
            <dd>{money(history.openAmount, history.currency)}</dd>
          </dl>
          {history.paused && (
            <p data-testid="paused-because">
              {r('pausedBecause', {
                reason: history.paused.reason,
                by: history.paused.by,
                at: dateTime(history.paused.at),
              })}
            </p>
          )}
          <p>
            {history.next ? r('nextLevel', { level: history.next.level, date: date(history.next.on) }) : r('noNext')}
          </p>
          {history.reminders.length === 0 ? (
            <p>{r('noReminders')}</p>
          ) : (
            <table data-testid="reminder-history">
              <caption>{r('historyCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{r('level')}</th>
                  <th scope="col">{r('sentOn')}</th>
                  <th scope="col">{r('subject')}</th>
                  <th scope="col">{r('delivery')}</th>
                  <th scope="col" className="num">
                    {r('interest')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.reminders.map((reminder) => (
                  <tr key={reminder.level}>
                    <td>{reminder.level}</td>
                    <td>{date(reminder.date)}</td>
                    <td>{reminder.subject ?? ''}</td>
                    <td>{r(`delivery.${reminder.deliveryStatus}` as ReminderTextKey)}</td>
                    <td className="num">
                      {reminder.lateInterest
                        ? `${money(reminder.lateInterest.interest, 'EUR')} + ${money(reminder.lateInterest.compensation, 'EUR')}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {history.pauses.length > 0 && (
            <section aria-labelledby="pauses-title">
              <h2 id="pauses-title">{r('pauses')}</h2>
              <ul>
                {history.pauses.map((event) => (
                  <li key={event.at}>
                    {r(event.action === 'paused' ? 'pausedEvent' : 'resumedEvent', {
                      at: dateTime(event.at),
                      by: event.by,
                      reason: event.reason,
                    })}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {history.failures.length > 0 && (
            <section aria-labelledby="failures-title">
              <h2 id="failures-title">{r('failures')}</h2>
              <ul>
                {history.failures.map((failure) => (
                  <li key={failure.date}>
                    {date(failure.date)}: {failure.error}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {can('billing') ? (
            <form onSubmit={(event) => void change(event)}>
              <label>
                {r('reason')}{' '}
                <input
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                  required
                  maxLength={500}
                  name="reason"
                />
              </label>{' '}
              <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
                {history.paused ? r('resume') : r('pause')}
              </button>
            </form>
          ) : (
            <p>{r('billingOnly')}</p>
          )}
        </>
      )}
    </>
  );
}
