/** Transactions as the work screen sees them: state, exact net, the body of a change. */
export type Tx = Record<string, unknown> & {
  id: string;
  version: number;
  billingState: string;
  date: string;
  approved?: boolean;
  onHold?: boolean;
  reservedBy?: string | null;
};
export const STATES = ['unbilled', 'on_hold', 'not_approved', 'reserved', 'billed'] as const;
export type State = (typeof STATES)[number];
const INPUT_FIELDS = [
  'projectId',
  'type',
  'date',
  'contractLineId',
  'resource',
  'orgUnit',
  'description',
  'printedDescription',
  'quantity',
  'unit',
  'unitPrice',
  'tax',
  'billingType',
  'approved',
  'onHold',
];

/** The state of a transaction as billing staff see it. */
export function stateOf(tx: Tx): State {
  if (tx.billingState === 'billed') return 'billed';
  if (tx.billingState === 'reserved') return 'reserved';
  if (tx.approved === false) return 'not_approved';
  return tx.onHold ? 'on_hold' : 'unbilled';
}

/** A decimal string as an integer scaled by 10^4 (the API's decimals have at most 4 places). */
function scaled(text: string): bigint {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole + fraction.padEnd(4, '0').slice(0, 4));
  return text.startsWith('-') ? -value : value;
}

/** Exact net of quantity x unit price in the currency's minor units, half up, from the decimal strings. */
export function netMinor(quantity: string, unitPrice: string, exponent: number): bigint {
  const product = scaled(quantity) * scaled(unitPrice); // scale 10^8
  const unit = 10n ** BigInt(8 - exponent);
  return (product >= 0n ? product + unit / 2n : product - unit / 2n) / unit;
}

/** The transaction's input fields as the API takes them back (PUT /transactions/{id}). */
export function transactionBody(tx: Tx): Record<string, unknown> {
  return Object.fromEntries(INPUT_FIELDS.filter((key) => tx[key] !== undefined).map((key) => [key, tx[key]]));
}
