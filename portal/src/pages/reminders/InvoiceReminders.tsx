import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newKey } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import { ErrorText, PageTitle, Status } from '../../ui.tsx';
import { reminderText, type ReminderTextKey } from '../reminders-text.ts';
import type { ReminderHistory } from './overdue-types.ts';

/** One invoice's reminders: levels sent, pauses, failures, the next level; pause or resume with a reason. */
export function InvoiceReminders({ invoiceId }: { invoiceId: string }) {
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
