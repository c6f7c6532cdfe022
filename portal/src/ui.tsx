import { useEffect, useRef, type ReactNode } from 'react';
export { addDays, setFirmTimeZone, today } from './dates.ts';
import { ApiError } from './api.ts';
import { useI18n } from './i18n.tsx';

/** The page heading takes focus on navigation, so keyboard and screen reader users start at the new page. */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  let message: string;
  if (error instanceof ApiError) {
    if (error.status === 403) message = t('forbidden');
    else if (error.status === 404) message = t('notFound');
    else
      message = `${error.problem.title ?? ''}${error.problem.detail ? `: ${error.problem.detail}` : ''}${error.problem.field ? ` (${error.problem.field})` : ''} [${error.status}]`;
  } else message = error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error">
      {t('error', { message })}
    </p>
  );
}

export function Status({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

export function Pager(props: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  label: string;
}) {
  const { t } = useI18n();
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" onClick={props.onPrevious} disabled={!props.hasPrevious}>
        {t('previousPage')}
      </button>
      <span aria-live="polite">{t('pageN', { n: props.page })}</span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>
        {t('nextPage')}
      </button>
    </nav>
  );
}

/** A cursor-paged list: keeps the cursors of the pages seen, so Previous works with a forward-only cursor. */
export interface CursorState {
  readonly cursors: (string | null)[];
  readonly index: number;
}

export const firstPage: CursorState = { cursors: [null], index: 0 };

export function StatusBadge({ status }: { status: string }) {
  const { tk } = useI18n();
  return <span className={`badge badge-${status}`}>{tk('status', status)}</span>;
}

/** Net, VAT and total of an invoice or preview (and, for an invoice, paid and balance), formatted for the language. */
export function TotalsList(props: {
  totals: { net: number; tax: number; total: number; paid?: number; balance?: number };
  currency: string;
  className?: string;
  testIdPrefix: string;
  withPayments?: boolean;
}) {
  const { t, money } = useI18n();
  const { totals, currency } = props;
  return (
    <dl className={props.className}>
      <div>
        <dt>{t('net')}</dt>
        <dd>{money(totals.net, currency)}</dd>
      </div>
      <div>
        <dt>{t('tax')}</dt>
        <dd>{money(totals.tax, currency)}</dd>
      </div>
      <div className="grand">
        <dt>{t('total')}</dt>
        <dd data-testid={`${props.testIdPrefix}-total`}>{money(totals.total, currency)}</dd>
      </div>
      {props.withPayments && (
        <>
          <div>
            <dt>{t('paid')}</dt>
            <dd>{money(totals.paid ?? 0, currency)}</dd>
          </div>
          <div>
            <dt>{t('balance')}</dt>
            <dd data-testid={`${props.testIdPrefix}-balance`}>{money(totals.balance ?? 0, currency)}</dd>
          </div>
        </>
      )}
    </dl>
  );
}
