import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { answer, ifMatch, newKey } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { currencyExponent, decimalToMinor, useI18n } from '../../i18n.tsx';
import type { Milestone, Project } from '../../types.ts';
import { ErrorText, today } from '../../ui.tsx';
import { Field } from './fields.tsx';

const vat = { code: 'NL-HIGH', category: 'S' as const, rate: '21' };

/** A project's fixed-price milestones: amount, date, ready for invoicing (a ready one goes on the next invoice). */
export function Milestones({ project }: { project: Project }) {
  const { client } = useApp();
  const { t, money, date } = useI18n();
  const [items, setItems] = useState<Milestone[]>([]);
  const [form, setForm] = useState({ description: '', amount: '', date: today(), ready: false });
  const [error, setError] = useState<unknown>();
  const lines = (project.contractLines ?? []).map((line) => line.id);
  const [line, setLine] = useState(lines[0] ?? '');
  const exponent = currencyExponent(project.currency);

  const load = useCallback(async () => {
    const { data } = await answer(client.GET('/milestones', { params: { query: { projectId: project.id } } }));
    setItems(data.items);
  }, [client, project.id]);
  useEffect(() => {
    load().catch(setError);
  }, [load]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await answer(
        client.POST('/milestones', {
          params: { header: { 'Idempotency-Key': newKey() } },
          body: {
            projectId: project.id,
            contractLineId: line,
            description: form.description.trim(),
            amount: decimalToMinor(form.amount, exponent) ?? -1,
            date: form.date,
            readyForInvoicing: form.ready,
            tax: vat,
          },
        }),
      );
      setForm({ description: '', amount: '', date: today(), ready: false });
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  const markReady = async (milestone: Milestone) => {
    setError(undefined);
    try {
      const { id: _id, version, invoicedBy: _by, ...rest } = milestone as Milestone & Record<string, unknown>;
      await answer(
        client.PUT('/milestones/{milestoneId}', {
          params: { path: { milestoneId: milestone.id }, header: ifMatch(version) },
          body: { ...(rest as never as Record<string, unknown>), readyForInvoicing: true } as never,
        }),
      );
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="milestones-title">
      <h3 id="milestones-title">{t('milestonesTitle')}</h3>
      {items.length > 0 && (
        <ul>
          {items.map((milestone) => (
            <li key={milestone.id}>
              {milestone.description ?? milestone.id} · {money(milestone.amount, project.currency)} ·{' '}
              {date(milestone.date)} · {milestone.readyForInvoicing ? t('milestoneReady') : t('milestoneNotReady')}
              {!milestone.readyForInvoicing && !milestone.invoicedBy && (
                <button type="button" onClick={() => void markReady(milestone)}>
                  {t('markReady', { name: milestone.description ?? milestone.id })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={(event) => void add(event)} aria-label={t('addMilestone')}>
        <Field label={t('description')} name="description" error={error}>
          {(d) => (
            <input
              required
              maxLength={500}
              value={form.description}
              onChange={(e) => setForm({ ...form, description: e.target.value })}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field label={t('amount', { currency: project.currency })} name="amount" error={error}>
          {(d) => (
            <input
              required
              inputMode="decimal"
              value={form.amount}
              onChange={(e) => setForm({ ...form, amount: e.target.value })}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field label={t('date')} name="date" error={error}>
          {(d) => (
            <input
              type="date"
              required
              value={form.date}
              onChange={(e) => setForm({ ...form, date: e.target.value })}
              aria-describedby={d}
            />
          )}
        </Field>
        <label>
          {t('contractLine')}
          <select value={line} onChange={(e) => setLine(e.target.value)}>
            {lines.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.ready} onChange={(e) => setForm({ ...form, ready: e.target.checked })} />
          {t('readyForInvoicing')}
        </label>
        <button type="submit" className="primary">
          {t('addMilestone')}
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
