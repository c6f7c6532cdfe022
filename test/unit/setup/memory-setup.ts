import type {
  CustomerRecord,
  ProjectRecord,
  SetupStore,
  StoredMilestone,
  TransactionRecord,
  WriteOutcome,
} from '../../../functions/setup/ports.ts';

/**
 * The setup store in memory with the DynamoDB adapter's conditions: create only a new key, change only at the
 * version read, and transactions and milestones only while not on an invoice. `writes` counts every write.
 */
export class MemorySetup implements SetupStore {
  readonly customers = new Map<string, CustomerRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly transactions = new Map<string, TransactionRecord>();
  readonly milestones = new Map<string, StoredMilestone>();
  writes = 0;
  /** Fails the n-th imported transaction (a crash halfway through an import). */
  failImportAt: number | undefined;
  private imported = 0;

  async customer(id: string) {
    return this.customers.get(id);
  }
  async writeCustomer(customer: CustomerRecord, expected: number | 'new') {
    return this.versioned(this.customers, customer.id, customer, expected);
  }
  async project(id: string) {
    return this.projects.get(id);
  }
  async writeProject(project: ProjectRecord, expected: number | 'new') {
    return this.versioned(this.projects, project.id, project, expected);
  }
  async transaction(id: string) {
    return this.transactions.get(id);
  }
  async writeTransaction(transaction: TransactionRecord, expected: number | 'new'): Promise<WriteOutcome> {
    const current = this.transactions.get(transaction.id);
    if (expected !== 'new' && current && current.billingState !== 'unbilled') return 'invoiced';
    if (this.versioned(this.transactions, transaction.id, transaction, expected)) return 'ok';
    if (expected === 'new') return 'exists';
    return current ? 'stale' : 'missing';
  }
  async milestone(projectId: string, id: string) {
    return this.milestones.get(`${projectId}#${id}`);
  }
  async writeMilestone(milestone: StoredMilestone, expected: number | 'new'): Promise<WriteOutcome> {
    const key = `${milestone.projectId}#${milestone.id}`;
    const current = this.milestones.get(key);
    if (expected !== 'new' && current && current.invoicedBy !== null) return 'invoiced';
    if (this.versioned(this.milestones, key, milestone, expected)) return 'ok';
    if (expected === 'new') return 'exists';
    return current ? 'stale' : 'missing';
  }
  async putNewTransaction(transaction: TransactionRecord) {
    if (++this.imported === this.failImportAt) throw new Error('crash halfway through the import');
    return this.versioned(this.transactions, transaction.id, transaction, 'new');
  }

  private versioned<T extends { readonly version?: number }>(
    map: Map<string, T>,
    key: string,
    item: T,
    expected: number | 'new',
  ): boolean {
    const current = map.get(key);
    if (expected === 'new' ? current !== undefined : (current?.version ?? 0) !== expected || !current) return false;
    map.set(key, item);
    this.writes += 1;
    return true;
  }
}
