import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, newKey, query } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { Dialog } from '../dialog.tsx';
import { currencyExponent, decimalToMinor, formatDecimal, minorToDecimal, useI18n } from '../i18n.tsx';
import type {
  AuditEntry,
  BillingType,
  ChangeResult,
  Customer,
  Invoice,
  InvoiceDetail,
  Page,
  Project,
} from '../types.ts';
import {
  ErrorText,
  firstPage,
  PageTitle,
  Pager,
  Status,
  StatusBadge,
  today,
  TotalsList,
  type CursorState,
} from '../ui.tsx';

const DETAIL_PAGE = 25;
const editable = new Set(['draft', 'in_review']);
const payable = new Set(['issued', 'partially_paid']);
const hasDocument = new Set(['issued', 'partially_paid', 'paid', 'cancelled']);

interface EditState {
  readonly id: string;
  quantity: string;
  unitPrice: string;
  description: string;
  billingType: BillingType;
}

export function InvoicePage({ invoiceId }: { invoiceId: string }) {
  const { api, can, navigate } = useApp();
  const i18n = useI18n();
  const { t, tk, money, date, dateTime } = i18n;
  const [invoice, setInvoice] = useState<Invoice>();
  const [customer, setCustomer] = useState<Customer | null>();
  const [project, setProject] = useState<Project>();
  const [paging, setPaging] = useState<CursorState>(firstPage);
  const [details, setDetails] = useState<Page<InvoiceDetail>>();
  const [history, setHistory] = useState<AuditEntry[]>([]);
  const [editing, setEditing] = useState<EditState>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<number>();
  const [dialog, setDialog] = useState<'send' | 'discard'>();
  const [pdfUrl, setPdfUrl] = useState<string>();
  const sendKey = useRef<string>(newKey());
  const paymentKeys = useRef({ paymentId: `pay-${newKey().slice(0, 18)}`, idempotencyKey: newKey() });
  const [payment, setPayment] = useState({ amount: '', date: today(), method: 'bank', reference: '' });
  const [amountError, setAmountError] = useState<string>();

  const loadHeader = useCallback(async () => {
    const response = await api.request<Invoice>(
      'GET',
      `/invoices/${encodeURIComponent(invoiceId)}${query({ limit: 1 })}`,
    );
    setInvoice(response.body);
    setConflict(undefined);
    const exponent = currencyExponent(response.body.currency);
    setPayment((previous) => ({
      ...previous,
      amount: minorToDecimal(Math.max(response.body.totals.balance, 0), exponent),
    }));
    const [customerRead, projectRead] = await Promise.all([
      response.body.customerId
        ? api.get<Customer>(`/customers/${encodeURIComponent(response.body.customerId)}`).catch(() => null)
        : Promise.resolve(null),
      api.get<Project>(`/projects/${encodeURIComponent(response.body.projectId)}`).catch(() => undefined),
    ]);
    setCustomer(customerRead);
    setProject(projectRead);
  }, [api, invoiceId]);

  const loadHistory = useCallback(async () => {
    const items: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AuditEntry> = await api.get(
        `/invoices/${encodeURIComponent(invoiceId)}/history${query({ limit: 100, cursor })}`,
      );
      items.push(...page.items);
      cursor = page.next;
    } while (cursor && items.length < 1000);
    setHistory(items);
  }, [api, invoiceId]);

  // The page asked for last is the one shown: an earlier answer arriving late (quick Next, Next) is dropped.
  const askedPage = useRef<CursorState>(paging);
  const loadDetails = useCallback(
    async (state: CursorState) => {
      askedPage.current = state;
      const cursor = state.cursors[state.index] ?? undefined;
      const answer = await api.get<Page<InvoiceDetail>>(
        `/invoices/${encodeURIComponent(invoiceId)}/details${query({ limit: DETAIL_PAGE, cursor })}`,
      );
      if (askedPage.current === state) setDetails(answer);
    },
    [api, invoiceId],
  );

  const reload = useCallback(async () => {
    setError(undefined);
    setEditing(undefined);
    try {
      await Promise.all([loadHeader(), loadHistory(), loadDetails(paging)]);
    } catch (caught) {
      setError(caught);
    }
  }, [loadHeader, loadHistory, loadDetails, paging]);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload]);

  useEffect(
    () => () => {
      if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    },
    [pdfUrl],
  );

  /** Runs a change; 412 shows the conflict (never overwrites), other problems show as errors. */
  async function change(action: () => Promise<void>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    setProblems([]);
    try {
      await action();
      return true;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412)
        setConflict(Number(caught.problem.currentVersion ?? NaN));
      else setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const applied = async (result: ChangeResult, message: string) => {
    setInvoice(result.invoice);
    setProblems(result.problems);
    setNotice(message);
    await Promise.all([loadDetails(paging), loadHistory()]);
  };

  if (!invoice) return error ? <ErrorText error={error} /> : <p role="status">{t('loading')}</p>;

  const mayEdit = can('billing') && editable.has(invoice.status) && conflict === undefined;
  const currency = invoice.currency;
  const title = invoice.number ? t('invoiceNumber', { number: invoice.number }) : t('draftLabel', { id: invoice.id });

  const saveEdit = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing || !details) return;
    const original = details.items.find((detail) => detail.id === editing.id);
    if (!original) return;
    const body: Record<string, string> = {};
    if (editing.quantity !== original.quantity) body.quantity = editing.quantity.trim().replace(',', '.');
    if (editing.unitPrice !== original.unitPrice) body.unitPrice = editing.unitPrice.trim().replace(',', '.');
    if (editing.description !== (original.description ?? '')) body.description = editing.description;
    if (editing.billingType !== original.billingType) body.billingType = editing.billingType;
    if (Object.keys(body).length === 0) {
      setEditing(undefined);
      return;
    }
    const ok = await change(async () => {
      const response = await api.request<ChangeResult>(
        'PATCH',
        `/invoices/${encodeURIComponent(invoice.id)}/details/${encodeURIComponent(editing.id)}`,
        { body, ifMatch: invoice.version },
      );
      await applied(response.body, t('saved', { total: money(response.body.invoice.totals.total, currency) }));
    });
    if (ok) setEditing(undefined);
  };

  const recalculate = () =>
    change(async () => {
      const response = await api.request<ChangeResult>(
        'POST',
        `/invoices/${encodeURIComponent(invoice.id)}/recalculate`,
        { body: {}, ifMatch: invoice.version },
      );
      await applied(response.body, t('recalculated', { total: money(response.body.invoice.totals.total, currency) }));
    });

  const send = async () => {
    const ok = await change(async () => {
      try {
        const response = await api.request<Invoice | { invoice: Invoice; delivery?: { to?: string } }>(
          'POST',
          `/invoices/${encodeURIComponent(invoice.id)}/send`,
          { ifMatch: invoice.version, idempotencyKey: sendKey.current },
        );
        const issued = 'invoice' in response.body ? response.body.invoice : response.body;
        const to = ('delivery' in response.body ? response.body.delivery?.to : undefined) ?? customer?.email ?? '';
        setInvoice(issued);
        setNotice(t('sent', { number: issued.number ?? '', email: to }));
        await Promise.all([loadHistory(), loadDetails(paging)]);
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 404 && !caught.problem.type)
          throw new Error(t('sendUnavailable'));
        throw caught;
      }
    });
    if (ok) sendKey.current = newKey();
    setDialog(undefined);
  };

  const discard = async () => {
    const ok = await change(async () => {
      await api.request('DELETE', `/invoices/${encodeURIComponent(invoice.id)}`, { ifMatch: invoice.version });
    });
    setDialog(undefined);
    if (ok) navigate('#/invoices');
  };

  const recordPayment = async (event: FormEvent) => {
    event.preventDefault();
    const exponent = currencyExponent(currency);
    const amount = decimalToMinor(payment.amount, exponent);
    if (amount === undefined || amount <= 0) {
      setAmountError(t('amountInvalid', { digits: exponent }));
      return;
    }
    setAmountError(undefined);
    const ok = await change(async () => {
      const response = await api.request<ChangeResult>('POST', `/invoices/${encodeURIComponent(invoice.id)}/payments`, {
        body: {
          paymentId: paymentKeys.current.paymentId,
          amount,
          currency,
          date: payment.date,
          method: payment.method,
          reference: payment.reference || null,
        },
        ifMatch: invoice.version,
        idempotencyKey: paymentKeys.current.idempotencyKey,
      });
      await applied(
        response.body,
        t('paymentRecorded', { balance: money(response.body.invoice.totals.balance, currency) }),
      );
      setPayment((previous) => ({
        ...previous,
        amount: minorToDecimal(Math.max(response.body.invoice.totals.balance, 0), exponent),
        reference: '',
      }));
    });
    if (ok) paymentKeys.current = { paymentId: `pay-${newKey().slice(0, 18)}`, idempotencyKey: newKey() };
  };

  const viewPdf = () =>
    change(async () => {
      try {
        const blob = await api.blob(`/invoices/${encodeURIComponent(invoice.id)}/pdf`);
        const url = URL.createObjectURL(
          blob.type === 'application/pdf' ? blob : new Blob([blob], { type: 'application/pdf' }),
        );
        setPdfUrl(url);
        window.open(url, '_blank', 'noopener');
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 404 && !caught.problem.type)
          throw new Error(t('pdfUnavailable'));
        throw caught;
      }
    });

  const offset = paging.index * DETAIL_PAGE;

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p className="meta">
        <StatusBadge status={invoice.status} /> · {t('version', { version: invoice.version })}
      </p>
      <dl className="facts">
        <div>
          <dt>{t('customer')}</dt>
          <dd>{customer?.name ?? invoice.customerId ?? ''}</dd>
        </div>
        <div>
          <dt>{t('recipient')}</dt>
          <dd>{customer?.email ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('project')}</dt>
          <dd>{project?.name ?? invoice.projectId}</dd>
        </div>
        <div>
          <dt>{t('cutOff')}</dt>
          <dd>{date(invoice.cutOff)}</dd>
        </div>
        {invoice.issueDate && (
          <div>
            <dt>{t('issueDate')}</dt>
            <dd>{date(invoice.issueDate)}</dd>
          </div>
        )}
        {invoice.dueDate && (
          <div>
            <dt>{t('dueDate')}</dt>
            <dd>{date(invoice.dueDate)}</dd>
          </div>
        )}
        {invoice.paymentReference && (
          <div>
            <dt>{t('paymentReference')}</dt>
            <dd data-testid="payment-reference">{invoice.paymentReference}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="totals-title" className="totals">
        <h2 id="totals-title">{t('totals')}</h2>
        <TotalsList totals={invoice.totals} currency={currency} testIdPrefix="invoice" withPayments />
      </section>

      {conflict !== undefined && (
        <div role="alert" className="conflict">
          <p>{t('conflict', { version: Number.isNaN(conflict) ? '?' : conflict })}</p>
          <button type="button" className="primary" onClick={() => void reload()}>
            {t('reload')}
          </button>
        </div>
      )}
      {notice && <Status>{notice}</Status>}
      {problems.length > 0 && (
        <div role="alert" className="error">
          <p>{t('problems')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.field}-${problem.message}`}>
                {problem.field}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorText error={error} />

      <div className="actions">
        {!can('billing') && <p>{t('readOnly')}</p>}
        {mayEdit && (
          <>
            <button type="button" onClick={() => void recalculate()} disabled={busy}>
              {t('recalculate')}
            </button>
            <button type="button" className="primary" onClick={() => setDialog('send')} disabled={busy}>
              {t('send')}
            </button>
            <button type="button" className="danger" onClick={() => setDialog('discard')} disabled={busy}>
              {t('discard')}
            </button>
          </>
        )}
        {hasDocument.has(invoice.status) && (
          <button type="button" onClick={() => void viewPdf()} disabled={busy}>
            {t('viewPdf')}
          </button>
        )}
        {pdfUrl && (
          <a href={pdfUrl} target="_blank" rel="noopener">
            {t('openPdf')}
          </a>
        )}
      </div>

      <Dialog open={dialog === 'send'} title={t('sendTitle')} onClose={() => setDialog(undefined)}>
        {customer?.email ? <p>{t('sendConfirm', { email: customer.email })}</p> : <p>{t('sendNoEmail')}</p>}
        <div className="buttons">
          <button type="button" className="primary" onClick={() => void send()} disabled={busy || !customer?.email}>
            {t('sendNow')}
          </button>
          <button type="button" onClick={() => setDialog(undefined)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>
      <Dialog open={dialog === 'discard'} title={t('discard')} onClose={() => setDialog(undefined)}>
        <p>{t('discardConfirm')}</p>
        <div className="buttons">
          <button type="button" className="danger" onClick={() => void discard()} disabled={busy}>
            {t('discard')}
          </button>
          <button type="button" onClick={() => setDialog(undefined)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>

      {can('billing') && payable.has(invoice.status) && conflict === undefined && (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">{t('markPaid')}</h2>
          <form className="inline-form" onSubmit={(event) => void recordPayment(event)}>
            <label>
              {t('amount', { currency })}
              <input
                inputMode="decimal"
                value={payment.amount}
                onChange={(event) => setPayment({ ...payment, amount: event.target.value })}
                required
                aria-invalid={amountError ? true : undefined}
                aria-describedby={amountError ? 'amount-error' : undefined}
              />
            </label>
            <label>
              {t('paymentDate')}
              <input
                type="date"
                value={payment.date}
                onChange={(event) => setPayment({ ...payment, date: event.target.value })}
                required
              />
            </label>
            <label>
              {t('method')}
              <input
                value={payment.method}
                onChange={(event) => setPayment({ ...payment, method: event.target.value })}
                required
                maxLength={40}
              />
            </label>
            <label>
              {t('reference')}
              <input
                value={payment.reference}
                onChange={(event) => setPayment({ ...payment, reference: event.target.value })}
                maxLength={140}
              />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t('recordPayment')}
            </button>
            {amountError && (
              <p id="amount-error" className="error">
                {amountError}
              </p>
            )}
          </form>
        </section>
      )}

      {(invoice.payments?.length ?? 0) > 0 && (
        <section aria-labelledby="payments-title">
          <h2 id="payments-title">{t('payments')}</h2>
          <ul>
            {invoice.payments?.map((paid) => (
              <li key={paid.id}>
                {date(paid.date)} · {money(paid.amount, currency)} · {paid.method}
                {paid.reference ? ` · ${paid.reference}` : ''}
                {paid.reversal ? ` (${t('reversed')})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="details-title">
        <h2 id="details-title">{t('details')}</h2>
        {details && (
          <form onSubmit={(event) => void saveEdit(event)}>
            <table>
              <caption>
                {t('detailsCaption', {
                  from: details.items.length ? offset + 1 : 0,
                  to: offset + details.items.length,
                  count: invoice.detailCount ?? details.items.length,
                })}
              </caption>
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
                  <th scope="col">{t('billingType')}</th>
                  <th scope="col" className="num">
                    {t('net')}
                  </th>
                  {mayEdit && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {details.items.map((detail, index) =>
                  editing?.id === detail.id ? (
                    // its own key: a reused Edit <button> turned type=submit would submit the form on the same click
                    <tr key={`${detail.id}:editing`} className="editing">
                      <td>{date(detail.date)}</td>
                      <td>{tk('type', detail.type)}</td>
                      <td>
                        <input
                          aria-label={t('description')}
                          value={editing.description}
                          onChange={(event) => setEditing({ ...editing, description: event.target.value })}
                          maxLength={500}
                          required
                        />
                      </td>
                      <td className="num">
                        <input
                          aria-label={t('quantity')}
                          inputMode="decimal"
                          size={8}
                          value={editing.quantity}
                          onChange={(event) => setEditing({ ...editing, quantity: event.target.value })}
                          required
                        />
                      </td>
                      <td className="num">
                        <input
                          aria-label={t('unitPrice')}
                          inputMode="decimal"
                          size={10}
                          value={editing.unitPrice}
                          onChange={(event) => setEditing({ ...editing, unitPrice: event.target.value })}
                          required
                        />
                      </td>
                      <td>
                        <select
                          aria-label={t('billingType')}
                          value={editing.billingType}
                          onChange={(event) =>
                            setEditing({ ...editing, billingType: event.target.value as BillingType })
                          }
                        >
                          {(['chargeable', 'complimentary', 'non_chargeable'] as const).map((billing) => (
                            <option key={billing} value={billing}>
                              {tk('billing', billing)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="num">{money(detail.net, currency)}</td>
                      <td className="row-actions">
                        <button type="submit" className="primary" disabled={busy}>
                          {t('save')}
                        </button>
                        <button type="button" onClick={() => setEditing(undefined)}>
                          {t('cancel')}
                        </button>
                      </td>
                    </tr>
                  ) : (
                    <tr key={detail.id}>
                      <td>{date(detail.date)}</td>
                      <td>{tk('type', detail.type)}</td>
                      <td>{detail.description ?? ''}</td>
                      <td className="num">{formatDecimal(i18n.locale, detail.quantity)}</td>
                      <td className="num">{formatDecimal(i18n.locale, detail.unitPrice)}</td>
                      <td>{tk('billing', detail.billingType)}</td>
                      <td className="num">{money(detail.net, currency)}</td>
                      {mayEdit && (
                        <td>
                          <button
                            type="button"
                            aria-label={t('editRow', { n: offset + index + 1 })}
                            onClick={() =>
                              setEditing({
                                id: detail.id,
                                quantity: detail.quantity,
                                unitPrice: detail.unitPrice,
                                description: detail.description ?? '',
                                billingType: detail.billingType,
                              })
                            }
                            disabled={busy || editing !== undefined}
                          >
                            {t('edit')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </form>
        )}
        {details && (details.next || paging.index > 0) && (
          <Pager
            label={t('details')}
            page={paging.index + 1}
            hasPrevious={paging.index > 0}
            hasNext={Boolean(details.next)}
            onPrevious={() => {
              const next = { ...paging, index: paging.index - 1 };
              setPaging(next);
              void loadDetails(next).catch(setError);
            }}
            onNext={() => {
              const next = {
                cursors: [...paging.cursors.slice(0, paging.index + 1), details.next],
                index: paging.index + 1,
              };
              setPaging(next);
              void loadDetails(next).catch(setError);
            }}
          />
        )}
      </section>

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
    </>
  );
}

/** "detail.quantity: 2.5 → 2" lines for the values an audit entry changed (one level of nesting, at most 8). */
const amountKey = /(^|\.)(total|net|tax|amount|paid|balance|waived|credited)$/;

function differences(
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
