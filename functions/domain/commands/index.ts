/**
 * The invoice lifecycle (rules section 4) as pure commands: (invoice, command, context) -> new invoice with
 * version + 1 and an audit entry, plus the effects adapters must apply (transactions to release, bill, create ...).
 * Anything the status does not allow throws InvalidTransition (API: 409) and changes nothing.
 * Version checks (If-Match, 412) are the adapters' job; commands only bump `version`.
 */
export type {
  BilledTransaction,
  CommandResult,
  CreditResult,
  DiscardResult,
  Effects,
  NewTransaction,
  ValidationProblem,
  WriteDown,
} from './effects.ts';
export { sendProblems } from './common.ts';
export * from './review.ts';
export * from './edit.ts';
export * from './send.ts';
export * from './payments.ts';
export * from './credit-note.ts';
