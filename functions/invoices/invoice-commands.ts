/**
 * What the invoice use cases share with their callers: the command context of an actor and the names the route
 * handlers import. The use cases live in ./use-cases/ (each depends only on the ports in ./ports.ts); their binding
 * to DynamoDB is functions/handlers/wiring/invoices.ts.
 *
 * Costs: editing, adding or removing a detail reads and writes O(1) items whatever the size of the invoice (the
 * domain updates the totals from the header's per-rate-group and per-line sums, `summary`). Recalculate, payments,
 * reversals and discard read every detail (O(n), ~1 RCU per 8 details).
 */
import type { CommandContext } from '../domain/index.ts';
import { firmTimeZone } from '../shared/firm.ts';
import { type Actor, commandContext as contextIn } from './use-cases/context.ts';

export type { Actor, ChangeOutcome } from './use-cases/context.ts';
export type { EditDetailInput } from './use-cases/edit-details.ts';
export type { EditHeaderInput, ReviewStep } from './use-cases/edit-header.ts';
export type { BankPayment, BankPaymentOutcome } from './use-cases/payments.ts';
export { adjustSummary, EMPTY_SUMMARY } from '../domain/index.ts';

export function commandContext(actor: Actor, now: Date): CommandContext {
  return contextIn(actor, now, firmTimeZone());
}
