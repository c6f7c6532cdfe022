/** Public API of the invoicing domain: pure code, no AWS, no I/O, no clock. */
export * from './errors.ts';
export * from './dates.ts';
export * from './money.ts';
export * from './tax.ts';
export * from './frequency.ts';
export * from './addresses.ts';
export * from './project.ts';
export * from './invoice.ts';
export * from './totals.ts';
export * from './build-invoice.ts';
export * from './commands/index.ts';
export * from './numbering.ts';
export * from './payment-reference.ts';
export * from './reminders.ts';
export * from './late-interest.ts';
