import { faultPoint } from '../shared/faults.ts';
import { matchEntry, type MatchingPorts } from './matching.ts';
import type { Actor, LineSettlement, LineState, PaymentPorts, StatementLine, UnappliedMoney } from './ports.ts';

/**
 * A pending statement line settled exactly once: matched (./matching.ts), then moved to its outcome conditional on
 * still being in the state it was read in, in one atomic change with the payment on the invoice (the invoices' use
 * case recordBankPayment) and the money kept on the customer. Also a person's assignment (./assign-entry.ts).
 */
export function matchingPorts(ports: PaymentPorts): MatchingPorts {
  const { lookups } = ports;
  return {
    invoiceOfReference: (canonical) => lookups.invoiceOfReference(canonical),
    async isOpen(invoiceId, currency) {
      const header = await ports.invoices.header(invoiceId);
      return (
        header !== undefined &&
        header.kind === 'invoice' &&
        (header.status === 'issued' || header.status === 'partially_paid') &&
        header.totals.balance > 0 &&
        header.currency === currency
      );
    },
    async customersOfDebtor(name, iban) {
      const named = name ? await lookups.customersNamed(name.replace(/\s+/g, ' ').trim()) : [];
      const known = iban ? await lookups.customerOfAccount(iban) : undefined;
      return known ? [known, ...named.filter((id) => id !== known)] : named;
    },
    openInvoicesWithBalance: (customerId, currency, balance) =>
      lookups.openInvoicesWithBalance(customerId, currency, balance),
  };
}

/** Matches a pending line and writes its outcome (with the payment and the unapplied rest) exactly once. */
export async function settlePendingLine(
  ports: PaymentPorts,
  line: StatementLine,
  actor: Actor,
  now: Date,
): Promise<void> {
  const minor = line.minor as number;
  const match = await matchEntry(
    {
      minor,
      currency: line.currency,
      structuredReferences: line.structuredReferences,
      unstructured: line.unstructured,
      debtorName: line.debtorName,
      debtorIban: line.debtorIban,
    },
    matchingPorts(ports),
  );
  await faultPoint(`bank-statement:matched:${line.position}`);
  const pending: LineState[] = ['pending'];
  if (match.kind === 'payment') {
    const payment = { invoiceId: match.invoiceId, from: pending, state: 'payment' as const };
    const outcome = await applyToInvoice(ports, line, payment, match.matchedBy, actor, now, match.reference);
    if (outcome !== 'not_open') return;
    // The invoice was settled between the lookup and the payment: keep the money on its customer.
    if (match.customerId)
      await keepUnapplied(ports, line, pending, 'unapplied', match.customerId, match.invoiceId, now);
    else await ports.statements.settle({ line, from: pending, outcome: { state: 'unmatched' } });
    return;
  }
  if (match.kind === 'proposed') {
    await ports.statements.settle({
      line,
      from: pending,
      outcome: {
        state: 'proposed',
        invoiceId: match.invoiceId,
        customerId: match.customerId,
        matchedBy: 'amount_and_debtor',
      },
    });
    return;
  }
  if (match.kind === 'unapplied') {
    await keepUnapplied(ports, line, pending, 'unapplied', match.customerId, match.invoiceId, now);
    return;
  }
  await ports.statements.settle({ line, from: pending, outcome: { state: 'unmatched' } });
}

function unappliedMoney(
  line: StatementLine,
  customerId: string,
  amount: number,
  invoiceId: string | null,
  now: Date,
): UnappliedMoney {
  return {
    customerId,
    entryId: line.entryId,
    amount,
    currency: line.currency,
    invoiceId,
    statementId: line.statementId,
    position: line.position,
    receivedOn: line.bookingDate,
    recordedAt: now.toISOString(),
  };
}

/** The line becomes a payment on the invoice (an over-payment's rest kept on the invoice's customer). */
export async function applyToInvoice(
  ports: PaymentPorts,
  line: StatementLine,
  target: { readonly invoiceId: string; readonly from: readonly LineState[]; readonly state: 'payment' | 'assigned' },
  matchedBy: NonNullable<StatementLine['matchedBy']>,
  actor: Actor,
  now: Date,
  reference: string | null,
): Promise<'applied' | 'not_open' | 'settled_elsewhere'> {
  const { invoiceId, from, state } = target;
  const payment = {
    entryId: line.entryId,
    amount: line.minor as number,
    currency: line.currency,
    date: line.bookingDate ?? line.valueDate ?? now.toISOString().slice(0, 10),
    reference: reference ?? line.accountServicerReference ?? line.endToEndId,
  };
  return ports.invoices.recordBankPayment(invoiceId, payment, actor, now, (applied, unapplied, header) => {
    const customerId = header.customerId ?? null;
    const settlement: LineSettlement = {
      line,
      from,
      outcome: {
        state,
        invoiceId,
        customerId,
        matchedBy,
        applied,
        unapplied,
        ...(state === 'assigned' ? { decidedBy: actor.username, decidedAt: now.toISOString() } : {}),
      },
      ...(unapplied > 0 && customerId
        ? { unapplied: unappliedMoney(line, customerId, unapplied, invoiceId, now) }
        : {}),
      ...(line.debtorIban && customerId
        ? { debtorAccount: { iban: line.debtorIban, customerId, at: now.toISOString() } }
        : {}),
    };
    return settlement;
  });
}

/** The whole amount kept as unapplied money on the customer; false when the line was decided meanwhile. */
export async function keepUnapplied(
  ports: PaymentPorts,
  line: StatementLine,
  from: readonly LineState[],
  state: 'unapplied' | 'assigned',
  customerId: string,
  invoiceId: string | null,
  now: Date,
  decidedBy?: string,
): Promise<boolean> {
  return ports.statements.settle({
    line,
    from,
    outcome: {
      state,
      customerId,
      ...(invoiceId ? { invoiceId } : {}),
      applied: 0,
      unapplied: line.minor as number,
      ...(decidedBy ? { decidedBy, decidedAt: now.toISOString(), matchedBy: 'person' as const } : {}),
    },
    unapplied: unappliedMoney(line, customerId, line.minor as number, invoiceId, now),
  });
}
