import { useEffect, useRef, useState, type FormEvent } from 'react';
import { newKey, query } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import type { Page } from '../types.ts';
import { ErrorText, PageTitle } from '../ui.tsx';
import type { StatementSummary, StatementView } from './bank/bank-types.ts';

/** Bank statements (issue 13): upload a CAMT.053 file and the statements imported so far (their reports: bank/). */
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
