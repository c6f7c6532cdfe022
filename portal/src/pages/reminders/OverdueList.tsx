import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { query } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import { ErrorText, firstPage, PageTitle, Pager, today, type CursorState } from '../../ui.tsx';
import { reminderText } from '../reminders-text.ts';
import type { OverdueInvoice } from './overdue-types.ts';

const PAGE = 25;

/** Open invoices overdue on a date (days overdue, last reminder, paused or not), paged. */
export function OverdueList() {
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
