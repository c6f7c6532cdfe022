import { useCallback, useEffect, useRef, useState } from 'react';
import { answer, ApiError, newKey, postHeaders } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { Dialog } from '../dialog.tsx';
import { useI18n } from '../i18n.tsx';
import type { Invoice } from '../types.ts';

/**
 * Bulk send: the existing Send route once per invoice, each with its own Idempotency-Key kept in localStorage with
 * the version read. Pressing it twice or reloading halfway continues the same job: an invoice already sent answers
 * with its first result (same key), and none is sent twice. Each invoice ends sent (its number) or refused (why).
 */
interface JobItem {
  readonly id: string;
  readonly version: number;
  readonly key: string;
  outcome?: { readonly sent: true; readonly number: string } | { readonly sent: false; readonly reason: string };
}

const STORE = 'factuur.bulkSend';
const readJob = (): JobItem[] | undefined => {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORE) ?? 'null') as JobItem[] | null;
    return Array.isArray(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
};
const writeJob = (items: JobItem[] | undefined) =>
  items ? window.localStorage.setItem(STORE, JSON.stringify(items)) : window.localStorage.removeItem(STORE);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function useBulkSend(onDone: () => void) {
  const { client } = useApp();
  const [job, setJob] = useState<JobItem[] | undefined>(readJob);
  const [running, setRunning] = useState(false);
  const runningRef = useRef(false);

  const run = useCallback(
    async (items: JobItem[]) => {
      if (runningRef.current) return; // pressed twice: the running loop goes on
      runningRef.current = true;
      setRunning(true);
      const current = items.map((item) => ({ ...item }));
      for (const item of current) {
        if (item.outcome) continue;
        for (let attempt = 0; ; attempt++) {
          try {
            const { data } = await answer(
              client.POST('/invoices/{invoiceId}/send', {
                params: { path: { invoiceId: item.id }, header: postHeaders(item.version, item.key) },
              }),
            );
            item.outcome = { sent: true, number: data.invoice.number ?? '' };
          } catch (error) {
            // the same request still in flight (a reload mid-send): wait for its answer
            if (
              error instanceof ApiError &&
              error.status === 409 &&
              error.problem.field === 'Idempotency-Key' &&
              attempt < 20
            ) {
              await wait(1000);
              continue;
            }
            const reason =
              error instanceof ApiError
                ? (error.problem.detail ?? error.problem.title ?? String(error.status))
                : String(error);
            item.outcome = { sent: false, reason };
          }
          break;
        }
        writeJob(current);
        setJob(current.map((entry) => ({ ...entry })));
      }
      runningRef.current = false;
      setRunning(false);
      onDone();
    },
    [client, onDone],
  );

  // after a reload: an invoice the interrupted job sent shows as sent (its number) before anything is pressed
  useEffect(() => {
    const stored = readJob();
    if (!stored?.some((item) => !item.outcome)) return;
    let live = true;
    void (async () => {
      for (const item of stored) {
        if (item.outcome) continue;
        const found = await answer(client.GET('/invoices/{invoiceId}', { params: { path: { invoiceId: item.id } } }))
          .then(({ data }) => data)
          .catch(() => undefined);
        if (found?.number) item.outcome = { sent: true, number: found.number };
      }
      if (!live || runningRef.current) return;
      writeJob(stored);
      setJob(stored.map((entry) => ({ ...entry })));
    })();
    return () => {
      live = false;
    };
  }, [client]);

  const start = (invoices: readonly Invoice[]) => {
    const items: JobItem[] = invoices.map((invoice) => ({ id: invoice.id, version: invoice.version, key: newKey() }));
    writeJob(items);
    setJob(items);
    void run(items);
  };
  const clear = () => {
    writeJob(undefined);
    setJob(undefined);
  };
  return { job, running, start, resume: () => job && void run(job), clear };
}

export function BulkSendPanel(props: {
  bulk: ReturnType<typeof useBulkSend>;
  selected: readonly Invoice[];
  labels: Map<string, string>;
}) {
  const { bulk, selected, labels } = props;
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { job, running } = bulk;
  const done = job?.filter((item) => item.outcome).length ?? 0;
  const unfinished = Boolean(job && done < job.length);
  const [interrupted, setInterrupted] = useState(unfinished && !running);
  useEffect(() => {
    if (running) setInterrupted(false);
  }, [running]);

  return (
    <section aria-labelledby="bulk-title" className="bulk">
      <h2 id="bulk-title">{t('bulkSend')}</h2>
      {interrupted && unfinished && (
        <div role="alert" className="conflict">
          <p>{t('bulkResume')}</p>
          <button type="button" className="primary" onClick={bulk.resume}>
            {t('bulkContinue')}
          </button>
        </div>
      )}
      <button
        type="button"
        className="primary"
        disabled={selected.length === 0 || running}
        onClick={() => setConfirming(true)}
      >
        {t('bulkSendTitle', { count: selected.length })}
      </button>
      {job && (
        <>
          <label className="progress">
            {t('bulkProgress', { done, count: job.length })}
            <progress max={job.length} value={done} data-testid="bulk-progress" />
          </label>
          <table>
            <caption>{t('bulkOutcome')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('invoice')}</th>
                <th scope="col">{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {job.map((item) => (
                <tr key={item.id} data-testid={`bulk-${item.id}`}>
                  <td>{labels.get(item.id) ?? item.id}</td>
                  <td>
                    {!item.outcome
                      ? t('loading')
                      : item.outcome.sent
                        ? t('bulkSent', { number: item.outcome.number })
                        : t('bulkRefused', { reason: item.outcome.reason })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!running && (
            <button type="button" onClick={bulk.clear}>
              {t('close')}
            </button>
          )}
        </>
      )}
      <Dialog
        open={confirming}
        title={t('bulkSendTitle', { count: selected.length })}
        onClose={() => setConfirming(false)}
      >
        <p>{t('bulkSendConfirm')}</p>
        <ul>
          {selected.map((invoice) => (
            <li key={invoice.id}>{labels.get(invoice.id) ?? invoice.id}</li>
          ))}
        </ul>
        <div className="buttons">
          <button
            type="button"
            className="primary"
            onClick={() => {
              setConfirming(false);
              bulk.start(selected);
            }}
          >
            {t('sendNow')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
