/**
 * What each Lambda handler may do on AWS, in one place. The stack grants a function exactly the permissions its
 * handler module (the id under functions/handlers/, as in routes.ts and workflows.ts) declares here.
 *
 * Add a handler: add its id with the permissions it needs, e.g.
 *
 *   'api/invoices/send': ['table:read', 'table:write', 'ses:send'],
 *   'api/runs/start':    ['table:read', 'states:start:invoice-run', 'states:describe:invoice-run'],
 *
 * A handler that is not listed gets {@link defaultHandlerPermissions} (table read + write) for now.
 *
 * - `table:read`   GetItem/BatchGetItem/Query/Scan/ConditionCheckItem/DescribeTable on the table and its indexes
 * - `table:write`  PutItem/UpdateItem/DeleteItem/BatchWriteItem on the table (TransactWriteItems uses these)
 * - `ses:send`     ses:SendEmail + ses:SendRawEmail, only from the sender identity with the configuration set;
 *                  adds env SENDER_EMAIL and SES_CONFIGURATION_SET
 * - `archive:read`  s3:GetObject on the document archive's `invoices/*` (and ListBucket there, so that a document
 *                  not archived yet is 404, not 403); adds env DOCUMENT_BUCKET
 * - `archive:write` s3:PutObject on the document archive's `invoices/*` (conditional puts: written once)
 * - `states:start:<workflow>`     states:StartExecution on that state machine
 * - `states:describe:<workflow>`  states:DescribeExecution on that state machine's executions
 * - `states:list:<workflow>`      states:ListExecutions on that state machine
 *   Every `states:*` permission adds env `STATE_MACHINE_ARN_<WORKFLOW>` (name upper-cased, `-` -> `_`).
 */
export type WorkflowAction = 'start' | 'describe' | 'list';

export type HandlerPermission =
  | 'table:read'
  | 'table:write'
  | 'ses:send'
  | 'archive:read'
  | 'archive:write'
  | `states:${WorkflowAction}:${string}`;

export const defaultHandlerPermissions: readonly HandlerPermission[] = ['table:read', 'table:write'];

export const handlerPermissions: Readonly<Record<string, readonly HandlerPermission[]>> = {
  // GET /health only calls DescribeTable.
  'api/health': ['table:read'],
  // The outbox sweep renders and archives the documents (when not archived yet) and sends the e-mails.
  'workflow/sweep-outbox': ['table:read', 'table:write', 'ses:send', 'archive:read', 'archive:write'],
  // Serves a constant document.
  'api/openapi': ['table:read'],
  // Send to customer, credit notes, resend: issue (or queue), then start the deliver-invoices workflow, which
  // renders, archives and e-mails (no document library, no SES, no archive here).
  'api/invoice-sending': ['table:read', 'table:write', 'states:start:deliver-invoices'],
  // GET /pdf and /ubl: the issued invoice's header, and its archived documents.
  'api/invoice-documents': ['table:read', 'archive:read'],
  // The reminder run's task that claims a level and e-mails the reminder with the archived invoice PDF through SES.
  'workflow/send-reminder': ['table:read', 'table:write', 'ses:send', 'archive:read', 'archive:write'],
  // Reads runs (failing stale ones after DescribeExecution), starts restart executions; writes Idempotency-Key records.
  'api/runs': ['table:read', 'table:write', 'states:start:invoice-run', 'states:describe:invoice-run'],
  // The scheduled stale-run reconciliation: running runs, DescribeExecution of their executions, fails stale ones.
  'workflow/reconcile-runs': ['table:read', 'table:write', 'states:describe:invoice-run'],
};

/** The permissions of one handler: its declared ones, else the default. */
export function permissionsOf(
  handler: string,
  declared: Readonly<Record<string, readonly HandlerPermission[]>> = handlerPermissions,
): readonly HandlerPermission[] {
  return declared[handler] ?? defaultHandlerPermissions;
}

export interface WorkflowPermission {
  readonly action: WorkflowAction;
  readonly workflow: string;
}

/** Splits `states:<action>:<workflow>`; undefined for other permissions. */
export function workflowPermission(permission: HandlerPermission): WorkflowPermission | undefined {
  const match = /^states:(start|describe|list):(.+)$/.exec(permission);
  if (!match) return undefined;
  return { action: match[1] as WorkflowAction, workflow: match[2] as string };
}

/** Environment variable that carries the ARN of a workflow's state machine. */
export function stateMachineArnVariable(workflow: string): string {
  return `STATE_MACHINE_ARN_${workflow.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
