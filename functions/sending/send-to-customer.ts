import {
  issue,
  issueYear,
  summarizeDetails,
  ValidationFailed,
  type CommandContext,
  type Invoice,
} from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { checkBeforeIssue } from '../documents/pre-issue-check.ts';
import type { InvoiceHeader } from '../invoices/ports.ts';
import { NotFound, namingCurrentVersion, StaleVersion } from '../shared/errors.ts';
import { faultPoint } from '../shared/faults.ts';
import type { Delivery, IssueChange, SendPorts } from './ports.ts';

/**
 * Send to customer (rules, section 4): the pre-issue check, then issue the draft (the domain's `issue`: number,
 * dates, frozen snapshot, payment reference, queued e-mail and billing, written by the one applier in one
 * transaction), then start the delivery: the deliver-invoices workflow renders and archives the documents and
 * e-mails them within seconds, in a function nobody waits for (issue 15, point 4: this function carries no document
 * library). The answer shows the delivery queued; the delivery log shows it sent. Pressing it again, or retrying the
 * request, cannot send a second e-mail: the invoice is no longer a draft (409), and the delivery is claimed before
 * SES is called. If this function dies before the start, the outbox sweep (every five minutes) delivers the queued
 * e-mail and archives the documents.
 * Resend is its own action: a new delivery of the same, archived documents.
 */
export interface SendOutcome {
  readonly invoice: InvoiceHeader;
  readonly delivery: Delivery | undefined;
}

export interface Actor {
  readonly username: string;
  readonly userId: string;
}

export async function sendToCustomer(
  ports: SendPorts,
  invoiceId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  today: string,
): Promise<SendOutcome> {
  const current = await ports.invoices.header(invoiceId);
  if (!current) throw new NotFound(`invoice ${invoiceId}`);
  const to = current.billTo.email ?? current.customer.email;
  if (!to) throw new ValidationFailed('billTo.email', 'the invoice has no e-mail address to send it to');
  const profile = await ports.firm.profile();
  const frozen = { supplier: frozenSupplier(profile), ...(await ports.projects.names(current.projectId)) };
  const ctx = { actor: actor.username, now: now.toISOString(), today };
  const issued = await namingCurrentVersion(
    () =>
      issueInvoice(ports, invoiceId, expectedVersion, ctx, actor.userId, {
        ...frozen,
        requireApproval: profile.reviewBeforeSend === true,
        to,
      }),
    async () => (await ports.invoices.header(invoiceId))?.version ?? null,
  );
  // A crash here leaves an issued invoice whose documents are not archived yet: its queued delivery archives them.
  await faultPoint(`send:after-issue:${invoiceId}`);
  await ports.starter.start(invoiceId);
  const delivery = await ports.deliveries.get(invoiceId, 'send');
  return { invoice: (await ports.invoices.header(invoiceId)) ?? issued, delivery };
}

/** What Send freezes into the invoice and whom it e-mails. */
export interface IssueRequest {
  readonly supplier: FirmProfile;
  readonly contractLineNames: Readonly<Record<string, string>>;
  readonly projectName?: string;
  readonly requireApproval: boolean;
  readonly to: string;
}

/**
 * The issue: the pre-issue check, then the domain decides number, header, audit, billing, reference and e-mail from the draft as loaded and
 * the counter as read; the applier writes exactly that, or nothing when another Send took the number (then the
 * next one).
 */
export async function issueInvoice(
  ports: SendPorts,
  invoiceId: string,
  expectedVersion: number,
  ctx: CommandContext,
  actorId: string,
  frozen: IssueRequest,
): Promise<InvoiceHeader> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const loaded = await ports.issuing.load(invoiceId);
    if (!loaded) throw new NotFound(`invoice ${invoiceId}`);
    if (loaded.header.version !== expectedVersion) throw new StaleVersion(loaded.header.version, 'invoice');
    // Nothing gets a number unless its documents can be made and delivered: the pre-issue check on the draft as
    // loaded, before a number is taken (422 naming the field, no number used). Every caller goes through it.
    checkBeforeIssue(loaded.invoice, frozen.supplier);
    const lastInSeries = await ports.issuing.lastInSeries(issueYear(ctx.today));
    const result = issue(
      loaded.invoice,
      {
        lastInSeries,
        requireApproval: frozen.requireApproval,
        ...(frozen.supplier.paymentReferenceFormats
          ? { referenceFormats: frozen.supplier.paymentReferenceFormats }
          : {}),
        delivery: { deliveryId: 'send', to: frozen.to },
      },
      ctx,
    );
    const header = issuedHeader(loaded.header, result.invoice, frozen, result.issue.paymentReference.printed);
    const change: IssueChange = {
      expectedVersion,
      header,
      audit: { ...(result.invoice.audit.at(-1) as Invoice['audit'][number]), actorId },
      effects: result.effects,
      issue: result.issue,
    };
    if ((await ports.issuing.apply(change)) === 'issued') return header;
  }
  throw new Error('the number series is busy; try again');
}

/** The stored header of the issued invoice: the domain's invoice with the firm and names frozen into it. */
function issuedHeader(before: InvoiceHeader, invoice: Invoice, frozen: IssueRequest, reference: string): InvoiceHeader {
  const { details, audit: _audit, excluded: _excluded, ...rest } = invoice;
  return {
    ...before,
    ...rest,
    status: invoice.status,
    summary: before.summary ?? summarizeDetails(details),
    supplier: frozen.supplier,
    contractLineNames: frozen.contractLineNames,
    ...(frozen.projectName !== undefined ? { projectName: frozen.projectName } : {}),
    paymentReference: reference,
    // The applier sets it when billing must follow the issue's transaction, and clears it when that is written.
    billingPending: false,
  };
}

/** The firm as frozen into an issued invoice: its details, not its policies (the reminder plan is read live). */
function frozenSupplier(profile: FirmProfile): FirmProfile {
  const { reminderPlan: _plan, reviewBeforeSend: _review, ...supplier } = profile;
  return supplier;
}

export async function resendInvoice(
  ports: SendPorts,
  invoiceId: string,
  to: string | undefined,
  actor: Actor,
  now: Date,
): Promise<Delivery | undefined> {
  const header = await ports.invoices.header(invoiceId);
  if (!header || header.number === null)
    throw new ValidationFailed('invoiceId', 'only an issued invoice can be resent');
  const recipient = to ?? header.billTo.email ?? header.customer.email;
  if (!recipient) throw new ValidationFailed('to', 'no e-mail address to send it to');
  const deliveryId = `resend-${(await ports.deliveries.list(invoiceId)).length}`;
  await ports.deliveries.queue({
    invoiceId,
    deliveryId,
    kind: 'resend',
    to: recipient,
    queuedAt: now.toISOString(),
    queuedBy: actor.username,
  });
  await ports.starter.start(invoiceId);
  return ports.deliveries.get(invoiceId, deliveryId);
}
