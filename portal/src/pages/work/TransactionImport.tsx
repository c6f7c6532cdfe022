import { useState, type FormEvent } from 'react';
import { answer, ApiError, newKey } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { useI18n } from '../../i18n.tsx';
import { ErrorText, Status } from '../../ui.tsx';

interface RowProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

/** CSV import of time and expense entries (columns in the README), per the file's locale chosen at upload. */
export function TransactionImport({ projectId, onImported }: { projectId: string; onImported(): void }) {
  const { client } = useApp();
  const { t } = useI18n();
  const [locale, setLocale] = useState<'nl' | 'en'>('nl');
  const [file, setFile] = useState<File>();
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblems([]);
    setNotice(undefined);
    setError(undefined);
    try {
      const csv = await file.text();
      const { data } = await answer(
        client.POST('/projects/{projectId}/transactions/import', {
          params: { path: { projectId }, header: { 'Idempotency-Key': newKey() } },
          body: { locale, csv },
        }),
      );
      setNotice(t('imported', { created: data.created, unchanged: data.unchanged }));
      onImported();
    } catch (caught) {
      if (caught instanceof ApiError && Array.isArray(caught.problem.problems))
        setProblems(caught.problem.problems as RowProblem[]);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('importTitle')}</h2>
      <form className="inline-form" onSubmit={(event) => void upload(event)}>
        <label>
          {t('importLocale')}
          <select value={locale} onChange={(event) => setLocale(event.target.value as 'nl' | 'en')}>
            <option value="nl">{t('localeNl')}</option>
            <option value="en">{t('localeEn')}</option>
          </select>
        </label>
        <label>
          {t('importFile')}
          <input type="file" accept=".csv,text/csv" required onChange={(event) => setFile(event.target.files?.[0])} />
        </label>
        <button type="submit" className="primary" disabled={busy || !file}>
          {t('importNow')}
        </button>
      </form>
      {notice && <Status>{notice}</Status>}
      <ErrorText error={error} />
      {problems.length > 0 && (
        <table>
          <caption>{t('importProblems')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('row')}</th>
              <th scope="col">{t('field')}</th>
              <th scope="col">{t('message')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem) => (
              <tr key={`${problem.row}-${problem.field}`}>
                <td>{problem.row}</td>
                <td>{problem.field}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
