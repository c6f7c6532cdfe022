import { useI18n } from '../i18n.tsx';
import type { RunCounts } from '../types.ts';

const runStatuses = ['pending', 'running', 'invoiced', 'nothing_to_invoice', 'failed'] as const;

/** The runs of a run date, counted per status. */
export function RunCountsTable({ counts }: { counts: RunCounts }) {
  const { t, tk, date } = useI18n();
  return (
    <table className="narrow">
      <caption>{t('runCounts', { date: date(counts.runDate), total: counts.total })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('status')}</th>
          <th scope="col" className="num">
            {t('count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {runStatuses.map((status) => (
          <tr key={status}>
            <th scope="row">{tk('run', status)}</th>
            <td className="num" data-testid={`count-${status}`}>
              {counts.counts[status] ?? 0}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
