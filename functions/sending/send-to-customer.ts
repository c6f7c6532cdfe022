import { ValidationFailed } from '../domain/index.ts';
import { NotFound } from '../shared/errors.ts';
import { invoiceHeader, type InvoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import { issueInvoice } from '../adapters/dynamodb/issue-store.ts';
import { firmProfile } from '../adapters/dynamodb/firm-store.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { billingContext } from '../adapters/dynamodb/projects-store.ts';
import { deliveriesOf, getDelivery, queueDelivery, type Delivery } from '../adapters/dynamodb/deliveries-store.ts';
import { checkBeforeIssue } from '../documents/pre-issue-check.ts';
import { faultPoint } from '../shared/faults.ts';
import { startDelivery } from '../adapters/stepfunctions/delivery-executions.ts';

/**
 * Send to customer (rules, section 4): the pre-issue check, then issue the draft (number, dates, frozen snapshot,
 * queued e-mail, in one transaction), then start the delivery: the deliver-invoices workflow renders and archives
 * the documents and e-mails them within seconds, in a function nobody waits for (issue 15, point 4: this function
 * carries no document library). The answer shows the delivery queued; the delivery log shows it sent. Pressing it
 * again, or retrying the request, cannot send a second e-mail: the invoice is no longer a draft (409), and the
 * delivery is claimed before SES is called. If this function dies before the start, the outbox sweep (every five
 * minutes) delivers the queued e-mail and archives the documents.
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
  invoiceId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  today: string,
): Promise<SendOutcome> {
  const current = await invoiceHeader(invoiceId);
  if (!current) throw new NotFound(`invoice ${invoiceId}`);
  const to = current.billTo.email ?? current.customer.email;
  if (!to) throw new ValidationFailed('billTo.email', 'the invoice has no e-mail address to send it to');
  const profile = await firmProfile();
  const supplier = frozenSupplier(profile);
  const issued = await issueInvoice(
    invoiceId,
    expectedVersion,
    { actor: actor.username, actorId: actor.userId, now: now.toISOString(), today },
    {
      supplier,
      requireApproval: profile.reviewBeforeSend === true,
      // Nothing gets a number unless its documents can be made and delivered (422 naming the field, no number used).
      check: (draft) => {
        checkBeforeIssue(draft, supplier);
      },
      ...(await projectNames(current.projectId)),
      delivery: { deliveryId: 'send', to },
    },
  );
  // A crash here leaves an issued invoice whose documents are not archived yet: its queued delivery archives them.
  await faultPoint(`send:after-issue:${invoiceId}`);
  await startDelivery(invoiceId);
  const delivery = await getDelivery(invoiceId, 'send');
  return { invoice: (await invoiceHeader(invoiceId)) ?? issued, delivery };
}

/** The firm as frozen into an issued invoice: its details, not its policies (the reminder plan is read live). */
function frozenSupplier(profile: FirmProfile): FirmProfile {
  const { reminderPlan: _plan, reviewBeforeSend: _review, ...supplier } = profile;
  return supplier;
}

/** The printed names of a project's contract lines (A3). */
export async function contractLineNames(projectId: string): Promise<Record<string, string>> {
  return (await projectNames(projectId)).contractLineNames;
}

/** The project's printed name and its contract lines' names (A3), frozen with the invoice at Send. */
async function projectNames(
  projectId: string,
): Promise<{ contractLineNames: Record<string, string>; projectName?: string }> {
  const context = await billingContext(projectId);
  return {
    contractLineNames: Object.fromEntries(
      (context?.record.contractLines ?? []).map((line) => [line.id, line.description]),
    ),
    ...(context?.record.name ? { projectName: context.record.name } : {}),
  };
}

export async function resendInvoice(
  invoiceId: string,
  to: string | undefined,
  actor: Actor,
  now: Date,
): Promise<Delivery | undefined> {
  const header = await invoiceHeader(invoiceId);
  if (!header || header.number === null)
    throw new ValidationFailed('invoiceId', 'only an issued invoice can be resent');
  const recipient = to ?? header.billTo.email ?? header.customer.email;
  if (!recipient) throw new ValidationFailed('to', 'no e-mail address to send it to');
  const deliveryId = `resend-${(await deliveriesOf(invoiceId)).length}`;
  await queueDelivery({
    invoiceId,
    deliveryId,
    kind: 'resend',
    to: recipient,
    queuedAt: now.toISOString(),
    queuedBy: actor.username,
  });
  await startDelivery(invoiceId);
  return getDelivery(invoiceId, deliveryId);
}
