import { useI18n } from '../../i18n.tsx';
import type { AuditEntry } from '../../types.ts';

/** The invoice's history: who, when, what, and the values before → after. */
export function HistoryTable({ history, currency }: { history: AuditEntry[]; currency: string }) {
  const { t, money, dateTime } = useI18n();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history')}</h2>
      <table>
        <caption>{t('historyCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('who')}</th>
            <th scope="col">{t('what')}</th>
            <th scope="col">{t('changes')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((entry) => (
            <tr key={`${entry.toVersion}-${entry.at}`}>
              <td>{dateTime(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>{entry.action}</td>
              <td>
                <ul className="changes">
                  {differences(entry.before, entry.after, (minor) => money(minor, currency)).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "detail.quantity: 2.5 → 2" lines for the values an audit entry changed (one level of nesting, at most 8). */
const amountKey = /(^|\.)(total|net|tax|amount|paid|balance|waived|credited)$/;

export function differences(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  money: (minor: number) => string,
): string[] {
  const flat = (value: unknown, prefix: string, into: Map<string, string>) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && prefix.split('.').length < 3) {
      for (const [key, inner] of Object.entries(value)) flat(inner, prefix ? `${prefix}.${key}` : key, into);
    } else into.set(prefix, JSON.stringify(value) ?? '');
    return into;
  };
  const a = flat(before, '', new Map());
  const b = flat(after, '', new Map());
  const lines: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(key);
    const to = b.get(key);
    if (from === to) continue;
    const short = (text: string | undefined) => {
      if (text === undefined || text === 'null') return '—';
      if (amountKey.test(key) && /^-?\d+$/.test(text)) return money(Number(text));
      return text.length > 40 ? `${text.slice(0, 37)}…` : text;
    };
    if (short(from) !== short(to)) lines.push(`${key}: ${short(from)} → ${short(to)}`);
  }
  return lines.slice(0, 8);
}
