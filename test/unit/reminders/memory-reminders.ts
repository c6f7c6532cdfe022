import { defaultReminderPlan, type ReminderPlan } from '../../../functions/domain/index.ts';
import type { FirmProfile } from '../../../functions/documents/firm.ts';
import type {
  InvoiceHeader,
  ReminderClaim,
  ReminderDelivery,
  ReminderFailure,
  ReminderPauseEvent,
  ReminderPorts,
  ReminderRecord,
  Reminders,
  StoredAuditEntry,
} from '../../../functions/reminders/ports.ts';

const isOpen = (h: InvoiceHeader) =>
  h.kind === 'invoice' && (h.status === 'issued' || h.status === 'partially_paid') && h.totals.balance > 0;

/**
 * The reminder ports in memory with the DynamoDB adapter's conditions: a level is claimed once, only on an open,
 * unpaused header still at the version the decision was made on, together with its audit entry and queued e-mail;
 * pause and resume only at the caller's version. `deliver` sends a queued e-mail once (`sends` counts them).
 */
export class MemoryReminders implements Reminders {
  readonly headers = new Map<string, InvoiceHeader>();
  readonly records = new Map<string, ReminderRecord>();
  readonly pauses: ReminderPauseEvent[] = [];
  readonly failures = new Map<string, ReminderFailure>();
  readonly audit: StoredAuditEntry[] = [];
  readonly deliveries = new Map<string, ReminderDelivery & { invoiceId: string }>();
  sends = 0;
  /** Runs before each claim is checked (a test writes the header "meanwhile" here). */
  beforeClaim: (claim: ReminderClaim) => void = () => {};

  async openInvoicesDueBy(latestDueDate: string, limit: number, startKey?: Record<string, unknown>) {
    const open = [...this.headers.values()]
      .filter((h) => isOpen(h) && h.dueDate !== null && h.dueDate <= latestDueDate)
      .map((h) => ({ h, sk: `${h.dueDate}#${h.id}` }))
      .sort((a, b) => (a.sk < b.sk ? -1 : 1))
      .filter(({ sk }) => startKey === undefined || sk > String(startKey.gsi4sk));
    const page = open.slice(0, limit);
    const last = page.at(-1);
    return {
      headers: page.map(({ h }) => h),
      ...(open.length > limit && last ? { next: { pk: `INVOICE#${last.h.id}`, gsi4sk: last.sk } } : {}),
    };
  }

  async claim(claim: ReminderClaim) {
    this.beforeClaim(claim);
    const { header, record } = claim;
    const key = `${header.id}#${record.level}`;
    if (this.records.has(key) || this.deliveries.has(`${header.id}#${record.deliveryId}`)) return 'level_claimed';
    const current = this.headers.get(header.id);
    if (!current || current.version !== header.version || !isOpen(current) || current.remindersPaused)
      return 'header_changed';
    this.headers.set(header.id, {
      ...header,
      version: header.version + 1,
      lastReminder: { level: record.level, date: record.date },
    });
    this.audit.push(claim.audit);
    this.records.set(key, record);
    this.deliveries.set(`${header.id}#${record.deliveryId}`, {
      invoiceId: header.id,
      deliveryId: record.deliveryId,
      to: claim.delivery.to,
      status: 'queued',
      sentAt: null,
      reminder: claim.delivery.message,
    });
    return 'claimed' as const;
  }

  async writePause(
    header: InvoiceHeader,
    expectedVersion: number,
    pause: InvoiceHeader['remindersPaused'],
    event: ReminderPauseEvent,
    audit: StoredAuditEntry,
  ) {
    if (this.headers.get(header.id)?.version !== expectedVersion) return 'stale' as const;
    const { remindersPaused: _previous, ...rest } = header;
    this.headers.set(header.id, {
      ...rest,
      version: expectedVersion + 1,
      ...(pause ? { remindersPaused: pause } : {}),
    });
    this.pauses.push(event);
    this.audit.push(audit);
    return 'written' as const;
  }

  async history(invoiceId: string) {
    return {
      reminders: [...this.records.values()].filter((r) => r.invoiceId === invoiceId).sort((a, b) => a.level - b.level),
      pauses: this.pauses.filter((p) => p.invoiceId === invoiceId),
      failures: [...this.failures.values()].filter((f) => f.invoiceId === invoiceId),
    };
  }

  async putFailure(failure: ReminderFailure) {
    this.failures.set(`${failure.invoiceId}#${failure.date}`, failure);
  }

  ports(firm: Partial<FirmProfile> = {}, plan: ReminderPlan = defaultReminderPlan): ReminderPorts {
    const profile = { name: 'Studio BV', iban: 'NL91ABNA0417164300', ...firm } as FirmProfile;
    return {
      reminders: this,
      header: async (id) => this.headers.get(id),
      firm: async () => ({ profile, plan }),
      deliver: async (invoiceId, deliveryId, now) => {
        const delivery = this.deliveries.get(`${invoiceId}#${deliveryId}`);
        if (!delivery) return undefined;
        if (delivery.status === 'queued') {
          this.sends += 1;
          this.deliveries.set(`${invoiceId}#${deliveryId}`, { ...delivery, status: 'sent', sentAt: now() });
        }
        return this.deliveries.get(`${invoiceId}#${deliveryId}`);
      },
      deliveries: async (invoiceId) => [...this.deliveries.values()].filter((d) => d.invoiceId === invoiceId),
    };
  }
}
