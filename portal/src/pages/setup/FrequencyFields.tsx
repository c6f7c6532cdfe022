import {
  cutOffFor,
  nextRunDates,
  validateFrequency,
  WEEKDAYS,
  type InvoiceFrequency,
} from '../../../../functions/domain/frequency.ts';
import { ValidationFailed } from '../../../../functions/domain/errors.ts';
import { useI18n } from '../../i18n.tsx';
import { today } from '../../ui.tsx';

/**
 * The invoice frequency as a form, with the next run dates and their cut-offs shown live as it is filled in: the
 * same domain code the scheduled run uses (functions/domain/frequency.ts, pure), in the portal bundle. For a
 * project that exists, it also shows what the change does to the dates not yet run.
 */
export interface FrequencyForm {
  period: 'weekly' | 'biweekly' | 'monthly';
  runDayMode: 'dayOfPeriod' | 'weekdayOfPeriod';
  rules: { day: string; weekday: string; occurrence: string }[];
  billingStart: string;
  billingEnd: string;
}

export const emptyFrequency = (): FrequencyForm => ({
  period: 'monthly',
  runDayMode: 'dayOfPeriod',
  rules: [{ day: '1', weekday: 'friday', occurrence: 'last' }],
  billingStart: today(),
  billingEnd: '',
});

export function frequencyOf(form: FrequencyForm): Record<string, unknown> {
  const rules = form.rules.map((rule) =>
    form.runDayMode === 'dayOfPeriod'
      ? { day: rule.day === 'last' ? 'last' : Number(rule.day) }
      : { weekday: rule.weekday, ...(form.period === 'weekly' ? {} : { occurrence: rule.occurrence }) },
  );
  return {
    period: form.period,
    runsPerPeriod: rules.length,
    runDayMode: form.period === 'weekly' ? 'weekdayOfPeriod' : form.runDayMode,
    rules,
    billingStart: form.billingStart,
    ...(form.billingEnd ? { billingEnd: form.billingEnd } : {}),
  };
}

export function formOf(frequency: Record<string, unknown>): FrequencyForm {
  const f = frequency as unknown as InvoiceFrequency;
  return {
    period: f.period,
    runDayMode: f.runDayMode,
    rules: f.rules.map((rule) => ({
      day: 'day' in rule ? String(rule.day) : '1',
      weekday: 'weekday' in rule ? rule.weekday : 'friday',
      occurrence: 'weekday' in rule ? (rule.occurrence ?? 'first') : 'last',
    })),
    billingStart: f.billingStart,
    billingEnd: f.billingEnd ?? '',
  };
}

function preview(frequency: Record<string, unknown>): { dates: string[] } | { field: string; message: string } {
  try {
    const valid = validateFrequency(frequency);
    // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text (Math.max would turn them into NaN)
    const from = valid.billingStart > today() ? valid.billingStart : today();
    return { dates: nextRunDates(valid, from, 6) };
  } catch (error) {
    if (error instanceof ValidationFailed) return { field: error.field, message: error.message };
    throw error;
  }
}

const occurrences = ['first', 'second', 'third', 'fourth', 'last'];

export function FrequencyFields(props: {
  value: FrequencyForm;
  onChange(next: FrequencyForm): void;
  saved?: Record<string, unknown>;
}) {
  const { value, onChange, saved } = props;
  const { t, tk, date } = useI18n();
  const result = preview(frequencyOf(value));
  const before = saved ? preview(saved) : undefined;
  const set = (patch: Partial<FrequencyForm>) => onChange({ ...value, ...patch });
  const setRule = (index: number, patch: Partial<FrequencyForm['rules'][number]>) =>
    set({ rules: value.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)) });
  const dayMode = value.period !== 'weekly' && value.runDayMode === 'dayOfPeriod';
  return (
    <fieldset className="frequency">
      <legend>{t('frequency')}</legend>
      <label>
        {t('period')}
        <select
          value={value.period}
          onChange={(event) =>
            set({ period: event.target.value as FrequencyForm['period'], rules: value.rules.slice(0, 1) })
          }
        >
          {(['weekly', 'biweekly', 'monthly'] as const).map((period) => (
            <option key={period} value={period}>
              {tk('period', period)}
            </option>
          ))}
        </select>
      </label>
      {value.period !== 'weekly' && (
        <label>
          {t('runDayMode')}
          <select
            value={value.runDayMode}
            onChange={(event) => set({ runDayMode: event.target.value as FrequencyForm['runDayMode'] })}
          >
            <option value="dayOfPeriod">{t('mode.dayOfPeriod')}</option>
            <option value="weekdayOfPeriod">{t('mode.weekdayOfPeriod')}</option>
          </select>
        </label>
      )}
      {value.rules.map((rule, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the rules are positional (run 1, run 2 ...)
        <div className="rule" key={index}>
          {dayMode ? (
            <label>
              {t('runDay', { n: index + 1 })}
              <input
                value={rule.day}
                size={5}
                onChange={(event) => setRule(index, { day: event.target.value.trim() })}
              />
            </label>
          ) : (
            <>
              <label>
                {t('runWeekday', { n: index + 1 })}
                <select value={rule.weekday} onChange={(event) => setRule(index, { weekday: event.target.value })}>
                  {WEEKDAYS.map((weekday) => (
                    <option key={weekday} value={weekday}>
                      {tk('weekday', weekday)}
                    </option>
                  ))}
                </select>
              </label>
              {value.period !== 'weekly' && (
                <label>
                  {t('occurrence', { n: index + 1 })}
                  <select
                    value={rule.occurrence}
                    onChange={(event) => setRule(index, { occurrence: event.target.value })}
                  >
                    {occurrences.map((occurrence) => (
                      <option key={occurrence} value={occurrence}>
                        {tk('occurrence', occurrence)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </>
          )}
          {value.rules.length > 1 && (
            <button type="button" onClick={() => set({ rules: value.rules.filter((_, i) => i !== index) })}>
              {t('removeRun', { n: index + 1 })}
            </button>
          )}
        </div>
      ))}
      {value.period === 'monthly' && value.rules.length < 4 && (
        <button
          type="button"
          onClick={() => set({ rules: [...value.rules, { day: '15', weekday: 'friday', occurrence: 'third' }] })}
        >
          {t('addRun')}
        </button>
      )}
      <label>
        {t('billingStart')}
        <input
          type="date"
          required
          value={value.billingStart}
          onChange={(event) => set({ billingStart: event.target.value })}
        />
      </label>
      <label>
        {t('billingEnd')}
        <input type="date" value={value.billingEnd} onChange={(event) => set({ billingEnd: event.target.value })} />
      </label>
      <div aria-live="polite" data-testid="run-dates">
        {'dates' in result ? (
          <table>
            <caption>{t('nextRunDates')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('runDate')}</th>
                <th scope="col">{t('cutOff')}</th>
              </tr>
            </thead>
            <tbody>
              {result.dates.map((runDate) => (
                <tr key={runDate}>
                  <td>{date(runDate)}</td>
                  <td>{date(cutOffFor(runDate))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="error">{t('frequencyInvalid', { field: result.field, message: result.message })}</p>
        )}
        {before && 'dates' in before && 'dates' in result && before.dates.join() !== result.dates.join() && (
          <p data-testid="frequency-change">
            {t('frequencyChange', {
              before: before.dates.slice(0, 3).map(date).join(', '),
              after: result.dates.slice(0, 3).map(date).join(', '),
            })}
          </p>
        )}
      </div>
    </fieldset>
  );
}
