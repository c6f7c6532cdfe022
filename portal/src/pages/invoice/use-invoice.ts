import { useCallback, useEffect, useRef, useState } from 'react';
import { answer, ApiError } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import type { AuditEntry, ChangeResult, Customer, Invoice, InvoiceDetail, Page, Project } from '../../types.ts';
import { firstPage, type CursorState } from '../../ui.tsx';

export const DETAIL_PAGE = 25;

/**
 * The state of the invoice page: the header, its customer and project, a page of details (the page asked for last
 * wins), the history; `change` runs one change at a time and turns 412 into the conflict notice (never overwrites).
 */
export function useInvoice(invoiceId: string) {
  const { client } = useApp();
  const [invoice, setInvoice] = useState<Invoice>();
  const [customer, setCustomer] = useState<Customer | null>();
  const [project, setProject] = useState<Project>();
  const [paging, setPaging] = useState<CursorState>(firstPage);
  const [details, setDetails] = useState<Page<InvoiceDetail>>();
  const [history, setHistory] = useState<AuditEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<number>();
  const [generation, setGeneration] = useState(0);
  const path = { invoiceId };

  const loadHeader = useCallback(async () => {
    const { data } = await answer(
      client.GET('/invoices/{invoiceId}', { params: { path: { invoiceId }, query: { limit: '1' } } }),
    );
    setInvoice(data);
    setConflict(undefined);
    const [customerRead, projectRead] = await Promise.all([
      data.customerId
        ? answer(client.GET('/customers/{customerId}', { params: { path: { customerId: data.customerId } } }))
            .then((read) => read.data)
            .catch(() => null)
        : Promise.resolve(null),
      answer(client.GET('/projects/{projectId}', { params: { path: { projectId: data.projectId } } }))
        .then((read) => read.data)
        .catch(() => undefined),
    ]);
    setCustomer(customerRead);
    setProject(projectRead);
  }, [client, invoiceId]);

  const loadHistory = useCallback(async () => {
    const items: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await answer(
        client.GET('/invoices/{invoiceId}/history', {
          params: { path: { invoiceId }, query: { limit: '100', ...(cursor ? { cursor } : {}) } },
        }),
      );
      items.push(...data.items);
      cursor = data.next ?? undefined;
    } while (cursor && items.length < 1000);
    setHistory(items);
  }, [client, invoiceId]);

  // The page asked for last is the one shown: an earlier answer arriving late (quick Next, Next) is dropped.
  const askedPage = useRef<CursorState>(paging);
  const loadDetails = useCallback(
    async (state: CursorState) => {
      askedPage.current = state;
      const cursor = state.cursors[state.index] ?? undefined;
      const { data } = await answer(
        client.GET('/invoices/{invoiceId}/details', {
          params: { path: { invoiceId }, query: { limit: String(DETAIL_PAGE), ...(cursor ? { cursor } : {}) } },
        }),
      );
      if (askedPage.current === state) setDetails(data);
    },
    [client, invoiceId],
  );

  const reload = useCallback(async () => {
    setError(undefined);
    try {
      await Promise.all([loadHeader(), loadHistory(), loadDetails(askedPage.current)]);
      setGeneration((n) => n + 1);
    } catch (caught) {
      setError(caught);
    }
  }, [loadHeader, loadHistory, loadDetails]);

  useEffect(() => {
    void reload();
  }, [reload]);

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
        setConflict(Number(caught.problem.currentVersion ?? Number.NaN));
      else setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** After a change: the new header, its problems and a notice; details and history read again. */
  async function applied(
    result: ChangeResult | { invoice: Invoice; problems?: ChangeResult['problems'] },
    message: string,
  ) {
    setInvoice(result.invoice);
    setProblems(result.problems ?? []);
    setNotice(message);
    await Promise.all([loadDetails(askedPage.current), loadHistory()]);
    setGeneration((n) => n + 1);
  }

  function goToPage(next: CursorState) {
    setPaging(next);
    void loadDetails(next).catch(setError);
  }

  return {
    path,
    invoice,
    customer,
    project,
    details,
    paging,
    history,
    busy,
    notice,
    problems,
    error,
    conflict,
    /** Bumped after every load and change: panels that read their own data (deliveries, excluded) read again. */
    generation,
    setError,
    setNotice,
    reload,
    change,
    applied,
    goToPage,
  };
}

export type InvoiceState = ReturnType<typeof useInvoice>;
