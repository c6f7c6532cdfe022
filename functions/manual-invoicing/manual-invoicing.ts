import { createHash } from 'node:crypto';
import {
  buildInvoice,
  ValidationFailed,
  type BuildResult,
  type ManualFilters,
  type Transaction,
  type TransactionType,
} from '../domain/index.ts';
import { withConsumption } from '../invoice-runs/consumption.ts';
import { type Actor, commandContext } from '../invoices/use-cases/context.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import type { TransactionRef } from '../invoices/ports.ts';
import type { ManualInvoicingPorts } from './ports.ts';

/**
 * Manual invoicing of a project (rules, section 5). Next = preview: builds the draft with the domain from the current
 * data and writes nothing; its token binds the parameters and the selected items with their versions. Finish builds
 * again with the same parameters, refuses (409, listing them) when the selection differs from the token's, and creates
 * the draft the way a run does (./finish-manual-invoice.ts): a `building` header, each transaction reserved together with its detail (conditional
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

export interface TokenContent {
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

export function selection(build: BuildResult): string[] {
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

export async function build(
  ports: ManualInvoicingPorts,
  projectId: string,
  invoiceId: string,
  requestId: string,
  parameters: ManualParameters,
  today: string,
  held: readonly TransactionRef[] = [],
) {
  const { billing } = ports;
  const context = await billing.context(projectId);
  if (!context) throw new NotFound(`project ${projectId}`);
  if (parameters.cutOff > today) throw new ValidationFailed('cutOff', `must be on or before today (${today})`);
  const open = await billing.openTransactions(projectId);
  const heldRecords = held.length ? await billing.transactionsById(projectId, held) : [];
  const byId = new Map<string, Transaction>();
  for (const transaction of [...open, ...heldRecords]) byId.set(transaction.id, transaction);
  const result = buildInvoice({
    invoiceId,
    origin: { kind: 'manual', requestId },
    project: await withConsumption(context.project, invoiceId, billing.projectInvoices),
    transactions: [...byId.values()],
    milestones: context.milestones,
    runDate: today,
    cutOff: parameters.cutOff,
    filters: filtersOf(parameters),
  });
  return { context, result };
}

export async function previewManualInvoice(
  ports: ManualInvoicingPorts,
  projectId: string,
  parameters: ManualParameters,
  actor: Actor,
  now: Date,
) {
  const { today } = commandContext(actor, now, ports.timeZone);
  const { result } = await build(ports, projectId, 'preview', 'preview', parameters, today);
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
