/** The reminder API's answers as the overdue screens read them. */
export interface Pause {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface OverdueInvoice {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly customer: string;
  readonly dueDate: string;
  readonly daysOverdue: number;
  readonly openAmount: number;
  readonly currency: string;
  readonly lastReminder: { level: number; date: string } | null;
  readonly paused: Pause | null;
}

export interface ReminderHistory {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly version: number;
  readonly dueDate: string | null;
  readonly daysOverdue: number;
  readonly openAmount: number;
  readonly currency: string;
  readonly paused: Pause | null;
  readonly next: { level: number; on: string } | null;
  readonly reminders: {
    level: number;
    date: string;
    subject: string | null;
    deliveryStatus: string;
    lateInterest: { interest: number; compensation: number } | null;
  }[];
  readonly pauses: { action: 'paused' | 'resumed'; reason: string; by: string; at: string }[];
  readonly failures: { date: string; error: string }[];
}
