import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { query } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import type { Page, Run, RunCounts } from '../types.ts';
import { RunCountsTable } from './RunCountsTable.tsx';
import { ErrorText, firstPage, PageTitle, Pager, Status, today, type CursorState } from '../ui.tsx';

const FAILED_PAGE = 20;

interface Watched {
  readonly projectId: string;
  readonly runDate: string;
  status: string;
}

/** Invoice runs: counts per run date, failed runs with error and step, Restart one or all, progress while running. */
export function Runs() {
  const { api, can } = useApp();
  const { t, tk, date } = useI18n();
  const { projects } = useLookups();
  const [runDate, setRunDate] = useState(today());
  const [shownDate, setShownDate] = useState(today());
  const [counts, setCounts] = useState<RunCounts>();
  const [paging, setPaging] = useState<CursorState>(firstPage);
  const [failed, setFailed] = useState<Page<Run>>();
  const [watched, setWatched] = useState<Watched[]>([]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  // Answers can arrive out of order (the first load of today and a date chosen right after it): only the answer for
  // what is asked now is shown.
  const asked = useRef({ shownDate, paging });
  asked.current = { shownDate, paging };
  const loadCounts = useCallback(
    async (day: string) => {
      const answer = await api.get<RunCounts>(`/runs${query({ runDate: day })}`);
      if (asked.current.shownDate === day) setCounts(answer);
    },
    [api],
  );
  const loadFailed = useCallback(
    async (state: CursorState) => {
      const answer = await api.get<Page<Run>>(
        `/runs/failed${query({ limit: FAILED_PAGE, cursor: state.cursors[state.index] ?? undefined })}`,
      );
      if (asked.current.paging === state) setFailed(answer);
    },
    [api],
  );

  useEffect(() => {
    Promise.all([loadCounts(shownDate), loadFailed(paging)]).catch(setError);
  }, [loadCounts, loadFailed, shownDate, paging]);

  // Progress: poll the restarted runs (and the counts) while any is pending or running.
  useEffect(() => {
    const active = watched.filter(
      (run) => run.status === 'pending' || run.status === 'running' || run.status === 'failed-restarting',
    );
    if (active.length === 0) return;
    timer.current = window.setTimeout(() => {
      void (async () => {
        try {
          const updated = await Promise.all(
            watched.map(async (run) => {
              if (!active.includes(run)) return run;
              const detail = await api.get<{ run: Run }>(`/runs/${encodeURIComponent(run.projectId)}/${run.runDate}`);
              // A restarted run reads 'failed' until the workflow claims it again.
              const status =
                detail.run.status === 'failed' && run.status === 'failed-restarting'
                  ? 'failed-restarting'
                  : detail.run.status;
              return { ...run, status };
            }),
          );
          setWatched(updated);
          await Promise.all([loadCounts(shownDate), loadFailed(paging)]);
        } catch (caught) {
          setError(caught);
        }
      })();
    }, 1000);
    return () => window.clearTimeout(timer.current);
  }, [api, watched, loadCounts, loadFailed, shownDate, paging]);

  // A restarted run that stays 'failed' for long has failed again: stop watching after 60 polls.
  const polls = useRef(0);
  useEffect(() => {
    polls.current += 1;
    if (polls.current > 60)
      setWatched((list) =>
        list.map((run) => (run.status === 'failed-restarting' ? { ...run, status: 'failed' } : run)),
      );
  }, []);

  const show = (event: FormEvent) => {
    event.preventDefault();
    setShownDate(runDate);
  };

  const restart = async (path: string, day: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const response = await api.request<{ runDate: string; projectIds: string[] }>('POST', path, {});
      setNotice(t('restarted', { count: response.body.projectIds.length, date: date(day) }));
      polls.current = 0;
      setWatched((list) => [
        ...list.filter((run) => !(run.runDate === day && response.body.projectIds.includes(run.projectId))),
        ...response.body.projectIds.map((projectId) => ({ projectId, runDate: day, status: 'failed-restarting' })),
      ]);
      setShownDate(day);
      setRunDate(day);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const failedDates = [...new Set(failed?.items.map((run) => run.runDate) ?? [])];
  const name = (projectId: string) => projects.get(projectId)?.name ?? projectId;
  const progressText = (status: string) => (status === 'failed-restarting' ? tk('run', 'pending') : tk('run', status));

  return (
    <>
      <PageTitle>{t('runsTitle')}</PageTitle>
      <form className="filters" onSubmit={show}>
        <label>
          {t('runDate')}
          <input type="date" value={runDate} onChange={(event) => setRunDate(event.target.value)} required />
        </label>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('showRunDate')}
          </button>
        </div>
      </form>
      {counts && <RunCountsTable counts={counts} />}
      {notice && <Status>{notice}</Status>}
      <ErrorText error={error} />
      {watched.length > 0 && (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">{t('progress')}</h2>
          <ul aria-live="polite" data-testid="run-progress">
            {watched.map((run) => (
              <li key={`${run.projectId}-${run.runDate}`}>
                {t('runProgress', {
                  project: name(run.projectId),
                  date: date(run.runDate),
                  status: progressText(run.status),
                })}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="failed-title">
        <h2 id="failed-title">{t('failedRuns')}</h2>
        {!can('operator') && <p>{t('operatorOnly')}</p>}
        {can('operator') && failedDates.length > 0 && (
          <div className="buttons">
            {failedDates.map((day) => (
              <button key={day} type="button" onClick={() => void restart(`/runs/${day}/restart`, day)} disabled={busy}>
                {t('restartAll', { date: date(day) })}
              </button>
            ))}
          </div>
        )}
        {failed && failed.items.length === 0 && <p>{t('noFailedRuns')}</p>}
        {failed && failed.items.length > 0 && (
          <table>
            <caption>{t('failedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('project')}</th>
                <th scope="col">{t('runDate')}</th>
                <th scope="col">{t('errorCol')}</th>
                <th scope="col">{t('failedStep')}</th>
                <th scope="col" className="num">
                  {t('attempts')}
                </th>
                {can('operator') && <th scope="col">{t('actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {failed.items.map((run) => (
                <tr key={`${run.projectId}-${run.runDate}`}>
                  <td>{name(run.projectId)}</td>
                  <td>{date(run.runDate)}</td>
                  <td>
                    <strong>{run.failure?.error ?? ''}</strong>
                    {run.failure?.cause ? <div className="cause">{run.failure.cause.slice(0, 300)}</div> : null}
                  </td>
                  <td>{run.failure?.state ?? ''}</td>
                  <td className="num">{run.attempts ?? ''}</td>
                  {can('operator') && (
                    <td>
                      <button
                        type="button"
                        aria-label={t('restartRun', { project: name(run.projectId), date: date(run.runDate) })}
                        onClick={() =>
                          void restart(`/runs/${encodeURIComponent(run.projectId)}/${run.runDate}/restart`, run.runDate)
                        }
                        disabled={busy}
                      >
                        {t('restart')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {failed && (failed.next || paging.index > 0) && (
          <Pager
            label={t('failedRuns')}
            page={paging.index + 1}
            hasPrevious={paging.index > 0}
            hasNext={Boolean(failed.next)}
            onPrevious={() => setPaging({ ...paging, index: paging.index - 1 })}
            onNext={() =>
              setPaging({
                cursors: [...paging.cursors.slice(0, paging.index + 1), failed.next],
                index: paging.index + 1,
              })
            }
          />
        )}
      </section>
    </>
  );
}
