import { createHash } from 'node:crypto';
import {
  buildInvoice,
  ValidationFailed,
  type BuildResult,
  type ManualFilters,
  type Transaction,
  type TransactionType,
} from '../domain/index.ts';
import { billingContext } from '../adapters/dynamodb/projects-store.ts';
import { openTransactions, transactionsById } from '../adapters/dynamodb/transactions-store.ts';
import {
  completeDraft,
  createBuildingHeader,
  deleteBuildingHeader,
  headerOf,
  invoiceDetails,
  invoiceHeader,
  projectInvoices,
  releaseDetails,
  replaceExcluded,
  reserveDetails,
  RESERVATION_CHUNK,
  type InvoiceHeader,
} from '../adapters/dynamodb/invoices-store.ts';
import { putAuditEntry } from '../adapters/dynamodb/invoice-changes-store.ts';
import { withConsumption } from '../invoice-runs/consumption.ts';
import { Conflict, InvalidRequest, NotFound } from '../shared/errors.ts';
import { commandContext, type Actor } from '../invoices/invoice-commands.ts';

/**
 * Manual invoicing of a project (rules, section 5). Next = preview: builds the draft with the domain from the current
 * data and writes nothing; its token binds the parameters and the selected items with their versions. Finish builds
 * again with the same parameters, refuses (409, listing them) when the selection differs from the token's, and creates
 * the draft the way a run does: a `building` header, each transaction reserved together with its detail (conditional
 * on its version and on being unbilled), then draft. The invoice id derives from the project and the Idempotency-Key,
 * so a retry after a crash continues the same draft.
 *
 * The token is not signed: Finish re-checks everything against the current data, so an altered token can only
 * produce a 409 or the invoice its parameters would give anyway. A digest catches corrupted tokens (400).
 */
export interface ManualParameters {
  readonly cutOff: string;
  readonly transactionTypes?: readonly TransactionType[];
  readonly orgUnit?: string;
  readonly milestoneIds?: readonly string[];
}

interface TokenContent {
  readonly v: 1;
  readonly projectId: string;
  readonly parameters: ManualParameters;
  /** `t:<id>:<version>` / `m:<id>` of the selected items, sorted. */
  readonly items: readonly string[];
}

function digest(content: TokenContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
}

export function encodeToken(content: TokenContent): string {
  return `${Buffer.from(JSON.stringify(content)).toString('base64url')}.${digest(content)}`;
}

export function decodeToken(token: string): TokenContent {
  const [payload, check] = token.split('.');
  try {
    const content = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as TokenContent;
    if (
      content.v !== 1 ||
      typeof content.projectId !== 'string' ||
      !Array.isArray(content.items) ||
      typeof content.parameters?.cutOff !== 'string' ||
      digest(content) !== check
    ) {
      throw new Error('bad token');
    }
    return content;
  } catch {
    throw new InvalidRequest('token', 'token is not one that invoice-preview returned');
  }
}

function selection(build: BuildResult): string[] {
  if (build.outcome !== 'draft') return [];
  return build.invoice.details
    .map((detail) =>
      detail.source.kind === 'transaction'
        ? `t:${detail.source.transactionId}:${detail.source.transactionVersion}`
        : detail.source.kind === 'milestone'
          ? `m:${detail.source.milestoneId}`
          : `x:${detail.id}`,
    )
    .sort();
}

function filtersOf(parameters: ManualParameters): ManualFilters {
  return {
    ...(parameters.transactionTypes ? { transactionTypes: parameters.transactionTypes } : {}),
    ...(parameters.orgUnit ? { orgUnit: parameters.orgUnit } : {}),
    ...(parameters.milestoneIds ? { milestoneIds: parameters.milestoneIds } : {}),
  };
}

async function build(
  projectId: string,
  invoiceId: string,
  requestId: string,
  parameters: ManualParameters,
  today: string,
  held: readonly string[] = [],
) {
  const context = await billingContext(projectId);
  if (!context) throw new NotFound(`project ${projectId}`);
  if (parameters.cutOff > today) throw new ValidationFailed('cutOff', `must be on or before today (${today})`);
  const open = await openTransactions(projectId);
  const heldRecords = held.length ? await transactionsById(held) : [];
  const byId = new Map<string, Transaction>();
  for (const transaction of [...open, ...heldRecords]) byId.set(transaction.id, transaction);
  const result = buildInvoice({
    invoiceId,
    origin: { kind: 'manual', requestId },
    project: await withConsumption(context.project, invoiceId, projectInvoices),
    transactions: [...byId.values()],
    milestones: context.milestones,
    runDate: today,
    cutOff: parameters.cutOff,
    filters: filtersOf(parameters),
  });
  return { context, result };
}

export async function previewManualInvoice(projectId: string, parameters: ManualParameters, actor: Actor, now: Date) {
  const { today } = commandContext(actor, now);
  const { result } = await build(projectId, 'preview', 'preview', parameters, today);
  const token = encodeToken({ v: 1, projectId, parameters, items: selection(result) });
  return {
    token,
    outcome: result.outcome,
    invoice:
      result.outcome === 'draft'
        ? {
            currency: result.invoice.currency,
            cutOff: result.invoice.cutOff,
            totals: result.invoice.totals,
            lines: result.invoice.lines,
            details: result.invoice.details,
          }
        : null,
    excluded: result.excluded,
  };
}

export function manualInvoiceId(projectId: string, idempotencyKey: string): string {
  return `inv-m-${createHash('sha256').update(`${projectId}#${idempotencyKey}`).digest('hex').slice(0, 24)}`;
}

export async function finishManualInvoice(
  projectId: string,
  token: string,
  idempotencyKey: string,
  actor: Actor,
  now: Date,
): Promise<InvoiceHeader> {
  const content = decodeToken(token);
  if (content.projectId !== projectId)
    throw new InvalidRequest('token', `the token is for project ${content.projectId}`);
  const { today } = commandContext(actor, now);
  const invoiceId = manualInvoiceId(projectId, idempotencyKey);
  const existing = await invoiceHeader(invoiceId);
  if (existing && existing.status !== 'building') return existing;
  const stored = existing ? await invoiceDetails(invoiceId) : [];
  const held = stored.flatMap((detail) => (detail.source.kind === 'transaction' ? [detail.source.transactionId] : []));
  const { context, result } = await build(projectId, invoiceId, idempotencyKey, content.parameters, today, held);

  const now_ = selection(result);
  const wanted = new Set(content.items);
  const current = new Set(now_);
  const differences = {
    missing: content.items.filter((item) => !current.has(item)),
    added: now_.filter((item) => !wanted.has(item)),
    onOtherInvoice: result.excluded.filter(
      (item) =>
        item.reason === 'on_other_invoice' &&
        content.items.some((selected) => selected.startsWith(`${item.kind[0]}:${item.id}`)),
    ),
  };
  const refuse = async (detail: string, extras: Record<string, unknown>) => {
    if (existing) {
      await releaseDetails(invoiceId, projectId, await invoiceDetails(invoiceId));
      await deleteBuildingHeader(invoiceId);
    }
    return new Conflict(detail, extras);
  };
  if (result.outcome !== 'draft') throw await refuse('there is nothing to invoice any more', { ...differences });
  if (differences.missing.length || differences.added.length) {
    throw await refuse('what would be invoiced changed since the preview; preview again', differences);
  }

  const header = existing ?? headerOf(result.invoice, 'building', now.toISOString(), context.record.customerId);
  if (!existing) await createBuildingHeader(header);
  const held_ = new Set(stored.map((detail) => detail.id));
  const missing = result.invoice.details.filter((detail) => !held_.has(detail.id));
  const taken: string[] = [];
  for (let start = 0; start < missing.length && taken.length === 0; start += RESERVATION_CHUNK) {
    let rest = missing.slice(start, start + RESERVATION_CHUNK);
    while (rest.length > 0) {
      const outcome = await reserveDetails(
        invoiceId,
        projectId,
        rest.map((detail) => ({ detail })),
      );
      taken.push(...outcome.taken);
      // Details held already were written by an earlier attempt of this Finish: reserve the others.
      const skipped = new Set([...outcome.taken, ...outcome.alreadyHeld]);
      rest = skipped.size === 0 ? [] : rest.filter((detail) => !skipped.has(detail.id));
    }
  }
  if (taken.length) {
    await releaseDetails(invoiceId, projectId, await invoiceDetails(invoiceId));
    await deleteBuildingHeader(invoiceId);
    throw new Conflict('some items were changed or taken by another invoice meanwhile; preview again', {
      changed: taken,
    });
  }
  await replaceExcluded(invoiceId, result.invoice.excluded);
  const draft = headerOf(result.invoice, 'draft', header.createdAt, context.record.customerId);
  if (!(await completeDraft(draft))) {
    const current = await invoiceHeader(invoiceId);
    if (current && current.status !== 'building') return current;
    throw new Conflict('another request is finishing this invoice; try again', {});
  }
  await putAuditEntry(invoiceId, {
    action: 'createManual',
    actor: actor.username,
    actorId: actor.userId,
    at: now.toISOString(),
    fromVersion: 0,
    toVersion: 1,
    before: {},
    after: {
      status: 'draft',
      total: draft.totals.total,
      parameters: content.parameters,
      detailCount: draft.detailCount,
    },
  });
  return (await invoiceHeader(invoiceId)) ?? draft;
}
