import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { index, keys } from '../../adapters/dynamodb/keys.ts';
import { publicHeader } from '../../invoices/public-header.ts';
import { auditPage, detailsPage, invoicesPage } from '../../adapters/dynamodb/invoice-pages-store.ts';
import {
  addInvoiceDetail,
  discardInvoice,
  editInvoiceHeader,
  reviewInvoice,
  excludedWork,
  editInvoiceDetail,
  recalculateInvoice,
  recordInvoicePayment,
  removeInvoiceDetail,
  reverseInvoicePayment,
} from '../wiring/invoices.ts';
import type { ChangeOutcome } from '../../invoices/use-cases/context.ts';
import type { EditDetailInput } from '../../invoices/use-cases/edit-details.ts';
import type { EditHeaderInput, ReviewStep } from '../../invoices/use-cases/edit-header.ts';
import {
  decodeCursor,
  encodeCursor,
  httpApi,
  limitOf,
  notFound,
  type ApiRequest,
  type ApiResult,
} from '../../shared/http-api.ts';
import type { AddManualDetailCommand, RecordPaymentCommand } from '../../domain/index.ts';
import { randomUUID } from 'node:crypto';
import { commonSchemas } from '../../api/openapi/common.ts';
import { invoiceOperations, invoiceSchemas } from '../../api/openapi/invoices.ts';
import { invoicePaymentOperations, paymentSchemas } from '../../api/openapi/payments.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/**
 * /invoices routes (one Lambda): list, read, details, history, header and detail edits, manual details, review,
 * recalculate, payments, discard. Sending: invoice-sending.ts.
 */
const INDEX_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const PROJECT_INDEX_KEY = ['pk', 'sk', 'gsi2pk', 'gsi2sk'];
const TABLE_KEY = ['pk', 'sk'];
const DETAIL_KEY = ['date', 'id'];
/** A cursor into this invoice's partition, at an item of the listed kind (details or audit entries). */
const ofInvoice = (invoiceId: string, sortKeyPrefix: string) => ({
  pk: keys.invoiceHeader(invoiceId).pk,
  sk: (sk: string) => sk.startsWith(sortKeyPrefix),
});

const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });
const changed = (outcome: ChangeOutcome): ApiResult => ({
  status: 200,
  body: { invoice: publicHeader(outcome.invoice), problems: outcome.problems },
  version: outcome.invoice.version,
});

/** Review before sending: submit, approve, or return to draft (with the reviewer's comment). */
const reviewStep =
  (step: ReviewStep) =>
  async (request: ApiRequest): Promise<ApiResult> =>
    changed(
      await reviewInvoice(
        request.path.invoiceId as string,
        request.ifMatch(),
        step,
        step === 'return' ? (request.body as { comment: string }).comment : undefined,
        actor(request),
        request.now,
      ),
    );

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = {
  operations: { ...invoiceOperations, ...invoicePaymentOperations },
  schemas: { ...invoiceSchemas, ...commonSchemas, ...paymentSchemas },
};

export const handler = httpApi(contract, {
  'GET /invoices': async (request) => {
    const { status, customerId, projectId, from, to, runDate } = request.query;
    // a run's invoices are made on or after its run date: without a `from`, the run date bounds the index range
    const since = from ?? runDate;
    const filter = {
      ...(status ? { status } : {}),
      ...(customerId ? { customerId } : {}),
      ...(projectId ? { projectId } : {}),
      ...(since ? { from: since } : {}),
      ...(to ? { to } : {}),
      ...(runDate ? { runDate } : {}),
    };
    const page = await invoicesPage(
      filter,
      limitOf(request),
      projectId
        ? decodeCursor(request.query.cursor, PROJECT_INDEX_KEY, { gsi2pk: index.projectInvoices(projectId) })
        : decodeCursor(request.query.cursor, INDEX_KEY, { gsi1pk: index.invoices() }),
    );
    return { status: 200, body: { items: page.items.map(publicHeader), next: encodeCursor(page.next) } };
  },
  'GET /invoices/{invoiceId}': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    const details = await detailsPage(header.id, limitOf(request, 100));
    return {
      status: 200,
      body: { ...publicHeader(header), details: { items: details.items, next: encodeCursor(details.next) } },
      version: header.version,
    };
  },
  'GET /invoices/{invoiceId}/details': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    const after = decodeCursor(request.query.cursor, DETAIL_KEY) as { date: string; id: string } | undefined;
    const page = await detailsPage(header.id, limitOf(request, 100), after);
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) }, version: header.version };
  },
  'GET /invoices/{invoiceId}/excluded': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    return { status: 200, body: { items: await excludedWork(header) } };
  },
  'PATCH /invoices/{invoiceId}': async (request) =>
    changed(
      await editInvoiceHeader(
        request.path.invoiceId as string,
        request.ifMatch(),
        request.body as EditHeaderInput,
        actor(request),
        request.now,
      ),
    ),
  'POST /invoices/{invoiceId}/details': async (request) => {
    const body = request.body as Omit<AddManualDetailCommand, 'transactionId'>;
    const outcome = await addInvoiceDetail(
      request.path.invoiceId as string,
      request.ifMatch(),
      { ...body, transactionId: `manual-${randomUUID()}` },
      actor(request),
      request.now,
    );
    return { ...changed(outcome), status: 201 };
  },
  'POST /invoices/{invoiceId}/submit': reviewStep('submit'),
  'POST /invoices/{invoiceId}/approve': reviewStep('approve'),
  'POST /invoices/{invoiceId}/return': reviewStep('return'),
  'GET /invoices/{invoiceId}/history': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    const page = await auditPage(
      header.id,
      limitOf(request, 100),
      decodeCursor(request.query.cursor, TABLE_KEY, ofInvoice(header.id, 'AUDIT#')),
    );
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) } };
  },
  'PATCH /invoices/{invoiceId}/details/{detailId}': async (request) =>
    changed(
      await editInvoiceDetail(
        request.path.invoiceId as string,
        request.path.detailId as string,
        request.ifMatch(),
        request.body as EditDetailInput,
        actor(request),
        request.now,
      ),
    ),
  'DELETE /invoices/{invoiceId}/details/{detailId}': async (request) =>
    changed(
      await removeInvoiceDetail(
        request.path.invoiceId as string,
        request.path.detailId as string,
        request.ifMatch(),
        actor(request),
        request.now,
      ),
    ),
  'POST /invoices/{invoiceId}/recalculate': async (request) =>
    changed(
      await recalculateInvoice(
        request.path.invoiceId as string,
        request.ifMatch(),
        (request.body as { rereadCustomer?: boolean }).rereadCustomer === true,
        actor(request),
        request.now,
      ),
    ),
  'POST /invoices/{invoiceId}/payments': async (request) => {
    const body = request.body as Omit<RecordPaymentCommand, 'reference'> & { reference?: string | null };
    return changed(
      await recordInvoicePayment(
        request.path.invoiceId as string,
        request.ifMatch(),
        { ...body, reference: body.reference ?? null },
        actor(request),
        request.now,
      ),
    );
  },
  'POST /invoices/{invoiceId}/payments/{paymentId}/reversal': async (request) => {
    const body = request.body as { reversalId: string; date: string; reason?: string | null };
    return changed(
      await reverseInvoicePayment(
        request.path.invoiceId as string,
        request.ifMatch(),
        { paymentId: request.path.paymentId as string, ...body, reason: body.reason ?? null },
        actor(request),
        request.now,
      ),
    );
  },
  'DELETE /invoices/{invoiceId}': async (request) => {
    await discardInvoice(request.path.invoiceId as string, request.ifMatch(), actor(request), request.now);
    return { status: 204 };
  },
});
