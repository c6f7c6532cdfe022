import { recordBankPayment } from '../../../functions/invoices/use-cases/payments.ts';
import { ItemConflict } from '../../../functions/invoices/ports.ts';
import type {
  BankStatements,
  EntryClaim,
  LineSettlement,
  PaymentLookups,
  PaymentPorts,
  StatementLine,
  StatementRecord,
  UnappliedMoney,
} from '../../../functions/payments/ports.ts';
import type { MemoryInvoices } from '../invoices/memory-ports.ts';

const lineKey = (statementId: string, position: number) => `${statementId}#${position}`;

/**
 * The bank-statement ports in memory, with the DynamoDB adapter's conditions: a statement record and a reported
 * line are written once, an entry is claimed once (with its line `pending`), a settlement is written only while the
 * line is in one of its `from` states, unapplied money once per entry. Payments go through the invoices' real
 * recordBankPayment on MemoryInvoices: the settlement is checked and written in the same change as the payment.
 */
export class MemoryStatements implements BankStatements {
  readonly records = new Map<string, StatementRecord>();
  readonly lineItems = new Map<string, StatementLine>();
  readonly claims = new Map<string, EntryClaim>();
  readonly unapplied = new Map<string, UnappliedMoney>();
  readonly debtorAccounts = new Map<string, string>();
  /** Every write, in order (to show what a retry writes). */
  readonly writes: string[] = [];

  async record(statementId: string) {
    return this.records.get(statementId);
  }
  async create(record: StatementRecord) {
    if (this.records.has(record.id)) return false;
    this.records.set(record.id, record);
    this.writes.push(`create ${record.id}`);
    return true;
  }
  async markImported(statementId: string) {
    const record = this.records.get(statementId);
    if (record?.status === 'importing') this.records.set(statementId, { ...record, status: 'imported' });
  }
  async lines(statementId: string) {
    return [...this.lineItems.values()]
      .filter((line) => line.statementId === statementId)
      .sort((a, b) => a.position - b.position);
  }
  async line(statementId: string, position: number) {
    return this.lineItems.get(lineKey(statementId, position));
  }
  async putReported(line: StatementLine) {
    const key = lineKey(line.statementId, line.position);
    if (this.lineItems.has(key)) return;
    this.lineItems.set(key, line);
    this.writes.push(`${line.state} ${line.position}`);
  }
  async claim(line: StatementLine) {
    const holder = this.claims.get(line.entryId);
    if (holder) return holder;
    const key = lineKey(line.statementId, line.position);
    if (this.lineItems.has(key)) throw new Error(`line ${key} exists without its claim`);
    const claim = { entryId: line.entryId, statementId: line.statementId, position: line.position };
    this.claims.set(line.entryId, claim);
    this.lineItems.set(key, { ...line, state: 'pending' });
    this.writes.push(`claim ${line.position}`);
    return claim;
  }
  async entryClaim(entryId: string) {
    return this.claims.get(entryId);
  }
  /** True when the settlement's conditions hold (the line in one of `from`, its unapplied money not kept yet). */
  canSettle(settlement: LineSettlement): boolean {
    const line = this.lineItems.get(lineKey(settlement.line.statementId, settlement.line.position));
    if (!line || !settlement.from.includes(line.state)) return false;
    const money = settlement.unapplied;
    return !money || !this.unapplied.has(`${money.customerId}#${money.entryId}`);
  }
  /** Writes a settlement whose conditions hold. */
  write(settlement: LineSettlement): void {
    const key = lineKey(settlement.line.statementId, settlement.line.position);
    const line = this.lineItems.get(key) as StatementLine;
    const defined = Object.entries(settlement.outcome).filter(([, value]) => value !== undefined);
    this.lineItems.set(key, { ...line, ...Object.fromEntries(defined) });
    const money = settlement.unapplied;
    if (money) this.unapplied.set(`${money.customerId}#${money.entryId}`, money);
    const account = settlement.debtorAccount;
    if (account) this.debtorAccounts.set(account.iban, account.customerId);
    this.writes.push(`${settlement.outcome.state} ${settlement.line.position}`);
  }
  async settle(settlement: LineSettlement) {
    if (!this.canSettle(settlement)) return false;
    this.write(settlement);
    return true;
  }
  async invoiceNumbers(invoiceIds: readonly string[]) {
    return new Map(invoiceIds.map((id) => [id, this.numbers.get(id) ?? null]));
  }
  readonly numbers = new Map<string, string | null>();
}

/** Lookups from plain maps: references to invoices, customers by name and account, open balances. */
export class MemoryLookups implements PaymentLookups {
  readonly references = new Map<string, { invoiceId: string; customerId: string | null }>();
  readonly names = new Map<string, string[]>();
  constructor(
    private readonly statements: MemoryStatements,
    private readonly invoices: MemoryInvoices,
  ) {}
  async invoiceOfReference(canonical: string) {
    return this.references.get(canonical);
  }
  async customersNamed(name: string) {
    return this.names.get(name.toLowerCase()) ?? [];
  }
  async customerOfAccount(iban: string) {
    return this.statements.debtorAccounts.get(iban);
  }
  async openInvoicesWithBalance(customerId: string, currency: string, balance: number) {
    return [...this.invoices.headers.values()]
      .filter(
        (h) =>
          h.customerId === customerId &&
          h.currency === currency &&
          h.totals.balance === balance &&
          (h.status === 'issued' || h.status === 'partially_paid'),
      )
      .map((h) => h.id)
      .slice(0, 2);
  }
}

export function memoryPaymentPorts(
  invoices: MemoryInvoices,
  statements = new MemoryStatements(),
  firmIban = 'NL91ABNA0417164300',
): { ports: PaymentPorts; statements: MemoryStatements; lookups: MemoryLookups } {
  const lookups = new MemoryLookups(statements, invoices);
  const invoicePorts = invoices.ports();
  // The settlement goes into the invoice's change: checked first, written with it (all or nothing).
  const atomic = {
    ...invoicePorts,
    invoices: {
      ...invoicePorts.invoices,
      apply: async (change: Parameters<typeof invoicePorts.invoices.apply>[0]) => {
        const settlements = (change.alsoWrite ?? []) as LineSettlement[];
        if (!settlements.every((s) => statements.canSettle(s)))
          throw new ItemConflict('an item of this change was changed by someone else');
        await invoicePorts.invoices.apply(change);
        for (const settlement of settlements) statements.write(settlement);
      },
    },
  };
  const ports: PaymentPorts = {
    statements,
    lookups,
    invoices: {
      header: async (id) => invoices.headers.get(id),
      async recordBankPayment(invoiceId, payment, actor, now, settle) {
        const outcome = await recordBankPayment(atomic, invoiceId, payment, actor, now, (applied, unapplied, h) => [
          settle(applied, unapplied, h),
        ]);
        return outcome.kind;
      },
    },
    firmIban: async () => firmIban,
    customerExists: async (customerId) => [...invoices.headers.values()].some((h) => h.customerId === customerId),
  };
  return { ports, statements, lookups };
}
