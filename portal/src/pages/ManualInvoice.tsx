import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newKey, query } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import { transactionTypes, type Invoice, type Milestone, type Preview, type TransactionType } from '../types.ts';
import { addDays, ErrorText, PageTitle, today } from '../ui.tsx';
import { PreviewTables } from './ManualPreview.tsx';

interface Selection {
  projectId: string;
  cutOff: string;
  types: TransactionType[];
  orgUnit: string;
  milestoneIds: string[];
}

/** Manual invoicing: choose, Next (preview, writes nothing), Finish (creates the draft, then opens it). */
export function ManualInvoice() {
  const { api, navigate } = useApp();
  const i18n = useI18n();
  const { t, tk, money, date } = i18n;
  const { projects, customers } = useLookups();
  const [selection, setSelection] = useState<Selection>({
    projectId: '',
    cutOff: addDays(today(), -1),
    types: [...transactionTypes],
    orgUnit: '',
    milestoneIds: [],
  });
  const [milestones, setMilestones] = useState<Milestone[]>([]);
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState<string>();
  /** One key per Finish: reused when the same Finish is retried (network error, 5xx), new after a new preview. */
  const finishKey = useRef<string | undefined>(undefined);
  const step2Heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setMilestones([]);
    if (!selection.projectId) return;
    let live = true;
    api
      .get<{ items: Milestone[] }>(`/milestones${query({ projectId: selection.projectId })}`)
      .then((result) => {
        if (!live) return;
        const ready = result.items.filter((milestone) => milestone.readyForInvoicing && !milestone.invoicedBy);
        setMilestones(ready);
        setSelection((previous) => ({ ...previous, milestoneIds: ready.map((milestone) => milestone.id) }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, selection.projectId]);

  useEffect(() => {
    if (preview) step2Heading.current?.focus();
  }, [preview]);

  const project = projects.get(selection.projectId);
  const currency = preview?.invoice?.currency ?? project?.currency ?? 'EUR';

  const next = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setChanged(undefined);
    try {
      const body = {
        cutOff: selection.cutOff,
        ...(selection.types.length < transactionTypes.length ? { transactionTypes: selection.types } : {}),
        ...(selection.orgUnit.trim() ? { orgUnit: selection.orgUnit.trim() } : {}),
        milestoneIds: selection.milestoneIds,
      };
      const response = await api.request<Preview>(
        'POST',
        `/projects/${encodeURIComponent(selection.projectId)}/invoice-preview`,
        { body },
      );
      finishKey.current = undefined;
      setPreview(response.body);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    if (!preview) return;
    finishKey.current ??= newKey();
    setBusy(true);
    setError(undefined);
    try {
      const response = await api.request<Invoice>(
        'POST',
        `/projects/${encodeURIComponent(selection.projectId)}/invoices`,
        { body: { token: preview.token }, idempotencyKey: finishKey.current },
      );
      navigate(`#/invoices/${encodeURIComponent(response.body.id)}`);
    } catch (caught) {
      if (
        caught instanceof ApiError &&
        caught.status === 409 &&
        (caught.problem.missing || caught.problem.added || caught.problem.onOtherInvoice)
      ) {
        const list = (value: unknown) => (Array.isArray(value) && value.length ? value.join(', ') : '0');
        setChanged(
          t('selectionChanged', {
            missing: list(caught.problem.missing),
            added: list(caught.problem.added),
            other: list(caught.problem.onOtherInvoice),
          }),
        );
        finishKey.current = undefined;
      } else setError(caught);
      setBusy(false);
    }
  };

  if (preview) {
    return (
      <>
        <PageTitle>{t('manualTitle')}</PageTitle>
        <h2 tabIndex={-1} ref={step2Heading}>
          {t('previewTitle')}: {project?.name ?? selection.projectId} · {t('cutOff')} {date(selection.cutOff)}
        </h2>
        <PreviewTables preview={preview} currency={currency} />
        {changed && (
          <p role="alert" className="error">
            {changed}
          </p>
        )}
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={() => setPreview(undefined)} disabled={busy}>
            {t('back')}
          </button>
          {changed ? (
            <button type="button" className="primary" onClick={(event) => void next(event)} disabled={busy}>
              {t('previewAgain')}
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => void finish()}
              disabled={busy || preview.outcome !== 'draft'}
            >
              {busy ? t('finishing') : t('finish')}
            </button>
          )}
        </div>
      </>
    );
  }

  const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
    on ? [...list, value] : list.filter((item) => item !== value);
  return (
    <>
      <PageTitle>{t('manualTitle')}</PageTitle>
      <p>{t('manualIntro')}</p>
      <form className="stacked" onSubmit={(event) => void next(event)}>
        <label>
          {t('project')}
          <select
            value={selection.projectId}
            onChange={(event) => setSelection({ ...selection, projectId: event.target.value })}
            required
          >
            <option value="">{t('chooseProject')}</option>
            {[...projects.values()]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name} ({customers.get(item.customerId)?.name ?? item.customerId})
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('cutOff')}
          <input
            type="date"
            value={selection.cutOff}
            onChange={(event) => setSelection({ ...selection, cutOff: event.target.value })}
            required
          />
        </label>
        <fieldset>
          <legend>{t('transactionTypes')}</legend>
          {transactionTypes.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={selection.types.includes(type)}
                onChange={(event) =>
                  setSelection({ ...selection, types: toggle(selection.types, type, event.target.checked) })
                }
              />
              {tk('type', type)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('orgUnit')}
          <input
            value={selection.orgUnit}
            onChange={(event) => setSelection({ ...selection, orgUnit: event.target.value })}
            maxLength={64}
          />
        </label>
        <fieldset>
          <legend>{t('milestones')}</legend>
          {milestones.length === 0 && <p>{t('noMilestones')}</p>}
          {milestones.map((milestone) => (
            <label key={milestone.id} className="check">
              <input
                type="checkbox"
                checked={selection.milestoneIds.includes(milestone.id)}
                onChange={(event) =>
                  setSelection({
                    ...selection,
                    milestoneIds: toggle(selection.milestoneIds, milestone.id, event.target.checked),
                  })
                }
              />
              {milestone.description ?? milestone.id} · {money(milestone.amount, project?.currency ?? 'EUR')}
            </label>
          ))}
        </fieldset>
        <ErrorText error={error} />
        <div className="buttons">
          <button
            type="submit"
            className="primary"
            disabled={busy || !selection.projectId || selection.types.length === 0}
          >
            {t('next')}
          </button>
        </div>
      </form>
    </>
  );
}
