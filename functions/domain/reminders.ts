import { addDays, toDayNumber, type IsoDate } from './dates.ts';
import { ValidationFailed } from './errors.ts';
import { type Invoice, isOpenInvoice } from './invoice.ts';

/**
 * Payment reminders (dunning): the firm's reminder plan and which level an overdue invoice is due for on a date.
 *
 * A plan is a short list of levels, each a number of days after the due date with the e-mail's subject and text per
 * language (nl, en). The last level is the final notice: it states the statutory late-payment interest and the fixed
 * compensation when the firm has switched that on and the customer is a business (late-interest.ts).
 *
 * Adopted: on a date D an open invoice is due for the HIGHEST level whose day (due date + days) is on or before D,
 * when that level is above the last level it was sent. Levels passed over (a run missed for a week, a pause) are
 * not sent afterwards: a customer never gets a friendly first reminder after the final notice, nor two on one day.
 * Each level goes to an invoice at most once (the store claims `REMINDER#<level>` conditionally).
 */
export type ReminderLanguage = 'nl' | 'en';

export interface ReminderText {
  readonly subject: string;
  readonly text: string;
}

export interface ReminderLevel {
  /** 1, 2, 3, ... in plan order. */
  readonly level: number;
  /** Days after the due date on which this level is sent (1-365, strictly increasing over the plan). */
  readonly daysAfterDue: number;
  readonly texts: Readonly<Record<ReminderLanguage, ReminderText>>;
}

export interface ReminderPlan {
  readonly levels: readonly ReminderLevel[];
  /** The final notice states statutory commercial interest and the fixed EUR 40 compensation (business customers). */
  readonly lateInterest: boolean;
}

/** Placeholders a reminder text may use; anything else in braces is refused by validation. */
export const reminderPlaceholders = [
  'customer',
  'number',
  'issueDate',
  'dueDate',
  'daysOverdue',
  'openAmount',
  'reference',
  'firm',
] as const;

export const MAX_REMINDER_LEVELS = 5;

/** The default plan: a friendly reminder a week after the due date, a second one at three weeks, a final notice at five. */
export const defaultReminderPlan: ReminderPlan = {
  lateInterest: false,
  levels: [
    {
      level: 1,
      daysAfterDue: 7,
      texts: {
        nl: {
          subject: 'Herinnering: factuur {number} van {firm}',
          text: 'Beste {customer},\n\nWij hebben de betaling van factuur {number} van {issueDate} nog niet ontvangen. De betaaltermijn is verstreken op {dueDate}. Wilt u het openstaande bedrag alsnog overmaken?',
        },
        en: {
          subject: 'Reminder: invoice {number} from {firm}',
          text: 'Dear {customer},\n\nWe have not yet received payment of invoice {number} of {issueDate}. It was due on {dueDate}. Kindly transfer the open amount.',
        },
      },
    },
    {
      level: 2,
      daysAfterDue: 21,
      texts: {
        nl: {
          subject: 'Tweede herinnering: factuur {number} van {firm}',
          text: 'Beste {customer},\n\nOndanks onze eerdere herinnering staat factuur {number} nog open, inmiddels {daysOverdue} dagen na de vervaldatum. Wij verzoeken u het bedrag binnen 7 dagen te betalen.',
        },
        en: {
          subject: 'Second reminder: invoice {number} from {firm}',
          text: 'Dear {customer},\n\nDespite our earlier reminder, invoice {number} is still open, now {daysOverdue} days past its due date. Please pay within 7 days.',
        },
      },
    },
    {
      level: 3,
      daysAfterDue: 35,
      texts: {
        nl: {
          subject: 'Laatste aanmaning: factuur {number} van {firm}',
          text: 'Beste {customer},\n\nFactuur {number} is {daysOverdue} dagen na de vervaldatum nog steeds niet betaald. Dit is onze laatste aanmaning: betaal het openstaande bedrag binnen 14 dagen.',
        },
        en: {
          subject: 'Final notice: invoice {number} from {firm}',
          text: 'Dear {customer},\n\nInvoice {number} is still unpaid {daysOverdue} days after its due date. This is our final notice: please pay the open amount within 14 days.',
        },
      },
    },
  ],
};

/** Checks a plan as an admin would enter it; throws ValidationFailed naming the field. */
export function validateReminderPlan(value: unknown, field = 'reminderPlan'): ReminderPlan {
  if (!value || typeof value !== 'object') throw new ValidationFailed(field, 'must be an object');
  const plan = value as { levels?: unknown; lateInterest?: unknown };
  if (typeof plan.lateInterest !== 'boolean') throw new ValidationFailed(`${field}.lateInterest`, 'must be a boolean');
  if (!Array.isArray(plan.levels) || plan.levels.length < 1 || plan.levels.length > MAX_REMINDER_LEVELS)
    throw new ValidationFailed(`${field}.levels`, `must have 1 to ${MAX_REMINDER_LEVELS} levels`);
  const levels: ReminderLevel[] = [];
  plan.levels.forEach((raw: unknown, index: number) => {
    const at = `${field}.levels[${index}]`;
    if (!raw || typeof raw !== 'object') throw new ValidationFailed(at, 'must be an object');
    const level = raw as { level?: unknown; daysAfterDue?: unknown; texts?: unknown };
    if (level.level !== index + 1) throw new ValidationFailed(`${at}.level`, `must be ${index + 1}`);
    const days = level.daysAfterDue;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365)
      throw new ValidationFailed(`${at}.daysAfterDue`, 'must be a whole number of days from 1 to 365');
    const previous = levels.at(-1);
    if (previous && days <= previous.daysAfterDue)
      throw new ValidationFailed(`${at}.daysAfterDue`, 'must be later than the level before it');
    if (!level.texts || typeof level.texts !== 'object') throw new ValidationFailed(`${at}.texts`, 'must be an object');
    const texts = level.texts as Record<string, unknown>;
    const checked = {} as Record<ReminderLanguage, ReminderText>;
    for (const language of ['nl', 'en'] as const) {
      const text = texts[language] as { subject?: unknown; text?: unknown } | undefined;
      if (!text || typeof text !== 'object') throw new ValidationFailed(`${at}.texts.${language}`, 'is required');
      checked[language] = {
        subject: checkTemplate(text.subject, `${at}.texts.${language}.subject`, 200),
        text: checkTemplate(text.text, `${at}.texts.${language}.text`, 4000),
      };
    }
    levels.push({ level: index + 1, daysAfterDue: days, texts: checked });
  });
  return { levels, lateInterest: plan.lateInterest };
}

function checkTemplate(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw new ValidationFailed(field, `must be text of 1 to ${max} characters`);
  if (field.endsWith('.subject') && /[\r\n]/.test(value)) throw new ValidationFailed(field, 'must be one line');
  for (const [, name] of value.matchAll(/\{([^{}]*)\}/g)) {
    if (!(reminderPlaceholders as readonly string[]).includes(name ?? ''))
      throw new ValidationFailed(field, `{${name}} is not a placeholder (${reminderPlaceholders.join(', ')})`);
  }
  return value;
}

/** Days between the due date and D (positive once overdue). */
export function daysOverdue(dueDate: IsoDate, date: IsoDate): number {
  return toDayNumber(date) - toDayNumber(dueDate);
}

/** Is the invoice open for reminders at all: an issued invoice with money still owed (not paid, not fully credited). */
export function isOpenForReminders(invoice: Pick<Invoice, 'kind' | 'status' | 'dueDate' | 'totals'>): boolean {
  return isOpenInvoice(invoice) && invoice.dueDate !== null;
}

export type ReminderDecision =
  | { readonly send: true; readonly level: ReminderLevel; readonly daysOverdue: number; readonly final: boolean }
  | {
      readonly send: false;
      readonly reason: 'not_open' | 'paused' | 'not_due' | 'already_sent';
    };

/**
 * What an invoice gets on date D: the highest level due by D, when it is above the last level sent.
 * `lastLevel` is 0 when no reminder was sent yet.
 */
export function reminderDue(
  plan: ReminderPlan,
  invoice: Pick<Invoice, 'kind' | 'status' | 'dueDate' | 'totals'> & { readonly remindersPaused?: unknown },
  lastLevel: number,
  date: IsoDate,
): ReminderDecision {
  if (!isOpenForReminders(invoice) || invoice.dueDate === null) return { send: false, reason: 'not_open' };
  if (invoice.remindersPaused) return { send: false, reason: 'paused' };
  const overdue = daysOverdue(invoice.dueDate, date);
  const due = plan.levels.filter((level) => level.daysAfterDue <= overdue).at(-1);
  if (!due) return { send: false, reason: 'not_due' };
  if (due.level <= lastLevel) return { send: false, reason: 'already_sent' };
  return { send: true, level: due, daysOverdue: overdue, final: due.level === plan.levels.length };
}

/** The latest due date an invoice can have to be due for the plan's first level on D (the index's range end). */
export function latestDueDateForReminders(plan: ReminderPlan, date: IsoDate): IsoDate {
  const first = plan.levels[0];
  return addDays(date, -(first?.daysAfterDue ?? 1));
}

/** Fills a text's placeholders (validated: only known names). */
export function fillReminderText(
  template: string,
  values: Readonly<Record<(typeof reminderPlaceholders)[number], string>>,
) {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
    name in values ? values[name as keyof typeof values] : whole,
  );
}
