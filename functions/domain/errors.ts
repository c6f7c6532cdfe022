/**
 * Domain errors. Every error has a stable `name` that adapters map to HTTP problems:
 * ValidationFailed -> 422 (with `field`), InvalidTransition -> 409, Overpayment -> 422, CurrencyMismatch -> 422,
 * DuplicatePayment -> 409. Version conflicts (StaleVersion, 412) are NOT a domain concern: adapters compare versions;
 * the domain only bumps `version`.
 */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
}

/** Input that breaks a rule. `field` names the offending field (dotted path, e.g. `rules[1].day`). */
export class ValidationFailed extends DomainError {
  override readonly name: string = 'ValidationFailed';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A command that the invoice's current status (or kind) does not allow. Nothing changes. */
export class InvalidTransition extends DomainError {
  override readonly name = 'InvalidTransition';
  constructor(
    readonly from: string,
    readonly action: string,
    reason?: string,
  ) {
    super(`cannot ${action} an invoice that is ${from}${reason === undefined ? '' : ` (${reason})`}`);
  }
}

/** A payment larger than the open balance. */
export class Overpayment extends DomainError {
  override readonly name = 'Overpayment';
  constructor(
    readonly amount: number,
    readonly balance: number,
  ) {
    super(`payment of ${amount} exceeds the balance of ${balance} (minor units)`);
  }
}

/** Money in another currency than the invoice's. */
export class CurrencyMismatch extends DomainError {
  override readonly name = 'CurrencyMismatch';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`expected currency ${expected}, got ${actual}`);
  }
}

/** A client payment id that was already recorded on the invoice. */
export class DuplicatePayment extends DomainError {
  override readonly name = 'DuplicatePayment';
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} was already recorded`);
  }
}
