import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newKey, query } from '../api.ts';
import { useApp, useLookups } from '../app-context.tsx';
import { formatDecimal, useI18n } from '../i18n.tsx';
import { transactionTypes, type Invoice, type Milestone, type Preview, type TransactionType } from '../types.ts';
import { addDays, ErrorText, PageTitle, today, TotalsList } from '../ui.tsx';

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
    const invoice = preview.invoice;
    return (
      <>
        <PageTitle>{t('manualTitle')}</PageTitle>
        <h2 tabIndex={-1} ref={step2Heading}>
          {t('previewTitle')}: {project?.name ?? selection.projectId} · {t('cutOff')} {date(selection.cutOff)}
        </h2>
        {preview.outcome === 'nothing_to_invoice' || !invoice ? (
          <p role="status">{t('nothingToInvoice')}</p>
        ) : (
          <>
            <TotalsList totals={invoice.totals} currency={currency} className="facts totals" testIdPrefix="preview" />
            <table>
              <caption>{t('details')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('type')}</th>
                  <th scope="col">{t('description')}</th>
                  <th scope="col" className="num">
                    {t('quantity')}
                  </th>
                  <th scope="col" className="num">
                    {t('unitPrice')}
                  </th>
                  <th scope="col" className="num">
                    {t('net')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoice.details.slice(0, 200).map((detail) => (
                  <tr key={detail.id}>
                    <td>{date(detail.date)}</td>
                    <td>{tk('type', detail.type)}</td>
                    <td>{detail.description ?? ''}</td>
                    <td className="num">{formatDecimal(i18n.locale, detail.quantity)}</td>
                    <td className="num">{formatDecimal(i18n.locale, detail.unitPrice)}</td>
                    <td className="num">{money(detail.net, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {preview.excluded.length > 0 && (
          <table>
            <caption>{t('excludedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('item')}</th>
                <th scope="col">{t('reason')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.excluded.slice(0, 200).map((item) => (
                <tr key={`${item.kind}-${item.id}`}>
                  <td>{tk('kind', item.kind)}</td>
                  <td>{item.id}</td>
                  <td>{tk('reason', item.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
