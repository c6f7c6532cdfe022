import { assertIsoDate, cutOffFor, isRunDate, ValidationFailed, type IsoDate } from '../domain/index.ts';
import type { InvoiceRunPorts, PageStart } from './ports.ts';

/**
 * One page of the projects due on a run date (access pattern A4): the frequency groups whose pattern has a run on
 * the date, then their projects, each checked against its own billing start and end. Pages are small enough that
 * no state payload nears Step Functions' 256 KB: 200 ids of at most 64 characters.
 */
export const PAGE_SIZE = 200;
/**
 * Projects per InvoiceProject Task (invoice-projects.ts): a page of 200 is 20 batches, so one Map state per page
 * runs 20 Tasks where it ran 200 (about 0.5 state transitions per project instead of 4).
 */
export const BATCH_SIZE = 10;

export interface DuePage {
  readonly runDate: IsoDate;
  readonly cutOff: IsoDate;
  readonly projectIds: string[];
  /** The same projects in batches of BATCH_SIZE, one InvoiceProject Task each. */
  readonly batches: string[][];
  /** Opaque; null on the last page. */
  readonly cursor: string | null;
}

/** The group in progress (by key, so groups registered meanwhile do not shift it) and where in it. */
interface Cursor {
  readonly group: string;
  readonly key?: PageStart;
}

export async function findDueProjects(
  ports: Pick<InvoiceRunPorts, 'schedule'>,
  input: { runDate?: unknown; projectIds?: unknown; cursor?: unknown },
): Promise<DuePage> {
  const runDate = assertIsoDate(input.runDate, 'runDate');
  const cutOff = cutOffFor(runDate);
  if (Array.isArray(input.projectIds)) {
    const projectIds = input.projectIds.map(String);
    return { runDate, cutOff, projectIds, batches: batchesOf(projectIds), cursor: null };
  }
  const start = decodeCursor(input.cursor);
  const groups = (await ports.schedule.frequencyGroups())
    .filter((group) => isRunDate(group.pattern, runDate) && (start === undefined || group.key >= start.group))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const projectIds: string[] = [];
  let position = 0;
  let key = start?.group === groups[0]?.key ? start?.key : undefined;
  while (position < groups.length && projectIds.length < PAGE_SIZE) {
    const group = groups[position]!;
    const page = await ports.schedule.projectsInGroup(group.key, PAGE_SIZE - projectIds.length, key);
    projectIds.push(
      ...page.projects.filter((project) => isRunDate(project.frequency, runDate)).map((project) => project.id),
    );
    key = page.next;
    if (!key) position += 1;
  }
  const next = groups[position];
  return {
    runDate,
    cutOff,
    projectIds,
    batches: batchesOf(projectIds),
    cursor: next ? encodeCursor({ group: next.key, ...(key ? { key } : {}) }) : null,
  };
}

function batchesOf(projectIds: readonly string[]): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < projectIds.length; start += BATCH_SIZE)
    batches.push(projectIds.slice(start, start + BATCH_SIZE));
  return batches;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: unknown): Cursor | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const cursor = JSON.parse(Buffer.from(String(value), 'base64url').toString()) as Cursor;
    if (typeof cursor.group === 'string') return cursor;
  } catch {
    // falls through to the error below
  }
  throw new ValidationFailed('cursor', 'is not a cursor this workflow made');
}
