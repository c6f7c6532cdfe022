/**
 * Review before sending (a firm setting): a billing user submits a draft; ANOTHER billing user approves it (Send is
 * refused until then) or returns it to draft with a comment. Adopted: every edit of an approved invoice withdraws the
 * approval (what was approved is what is sent); the invoice stays in review and needs a new approval.
 */
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { CommandContext, Invoice, Review } from '../invoice.ts';
import { commit, requireStatus, sendProblems } from './common.ts';
import { type CommandResult, NO_EFFECTS } from './effects.ts';

export function submitForReview(invoice: Invoice, _command: Record<string, never>, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['draft'], 'submit for review');
  const review: Review = {
    submittedBy: ctx.actor,
    submittedAt: ctx.now,
    approvedBy: null,
    approvedAt: null,
    returnedBy: null,
    returnedAt: null,
    comment: null,
  };
  return {
    invoice: commit(invoice, { ...invoice, status: 'in_review', review }, 'submitForReview', ctx),
    effects: { ...NO_EFFECTS, problems: sendProblems(invoice) },
  };
}

export function approveReview(invoice: Invoice, _command: Record<string, never>, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['in_review'], 'approve');
  const review = invoice.review;
  if (!review) throw new InvalidTransition(invoice.status, 'approve', 'it was never submitted for review');
  if (review.approvedBy !== null) throw new InvalidTransition(invoice.status, 'approve', 'it is already approved');
  if (review.submittedBy === ctx.actor)
    throw new InvalidTransition(invoice.status, 'approve', 'you submitted it: another billing user must approve it');
  const approved: Review = { ...review, approvedBy: ctx.actor, approvedAt: ctx.now };
  return {
    invoice: commit(
      invoice,
      { ...invoice, review: approved },
      'approveReview',
      ctx,
      { approvedBy: null },
      {
        approvedBy: ctx.actor,
      },
    ),
    effects: { ...NO_EFFECTS, problems: sendProblems(invoice) },
  };
}

export interface ReturnToDraftCommand {
  /** Why it goes back: what the submitter should change. */
  readonly comment: string;
}

export function returnToDraft(invoice: Invoice, command: ReturnToDraftCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['in_review'], 'return to draft');
  const comment = typeof command.comment === 'string' ? command.comment.trim() : '';
  if (comment === '' || comment.length > 1000)
    throw new ValidationFailed('comment', 'say why it goes back to draft (1 to 1000 characters)');
  const review: Review = {
    ...(invoice.review ?? { submittedBy: ctx.actor, submittedAt: ctx.now }),
    approvedBy: null,
    approvedAt: null,
    returnedBy: ctx.actor,
    returnedAt: ctx.now,
    comment,
  };
  return {
    invoice: commit(invoice, { ...invoice, status: 'draft', review }, 'returnToDraft', ctx, {}, { comment }),
    effects: { ...NO_EFFECTS, problems: sendProblems(invoice) },
  };
}
