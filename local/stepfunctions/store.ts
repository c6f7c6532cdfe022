import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryEvent } from './history.ts';

/**
 * Executions on disk: one JSON file per execution, `<dataDir>/executions/<machine>/<name>.json`, holding the record
 * and its history. Every write goes to a temporary file that is then renamed over the old one, so a crash leaves
 * either the previous or the new version. Writes of one execution are serialised; `schedule` coalesces the frequent
 * history updates of a running execution into one write per `debounceMillis`.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  /** Milliseconds since the epoch. */
  startDate: number;
  /** Start order within this data directory (breaks ties between equal startDates). */
  sequence: number;
  stopDate?: number;
  /** The input as given to StartExecution (JSON text). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface StoredExecution {
  readonly record: ExecutionRecord;
  readonly history: HistoryEvent[];
}

interface ExecutionFile {
  formatVersion: 1;
  execution: ExecutionRecord;
  history: HistoryEvent[];
}

const FILE_SUFFIX = '.json';
let temporaryCounter = 0;

export class ExecutionStore {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; execution: StoredExecution }>();
  private closed = false;

  constructor(
    readonly dataDir: string,
    private readonly debounceMillis = 200,
  ) {}

  private fileOf(record: ExecutionRecord): string {
    // Execution and machine names cannot contain '/', '\\' or ':'; encoding also keeps '.'/'..' names harmless.
    return path.join(
      this.dataDir,
      'executions',
      encodeURIComponent(record.stateMachineName),
      `${encodeURIComponent(record.name)}${FILE_SUFFIX}`,
    );
  }

  /** Writes the execution now (after any write of it in flight). Ignored once the store is closed. */
  save(execution: StoredExecution): Promise<void> {
    const file = this.fileOf(execution.record);
    const pending = this.timers.get(file);
    if (pending) {
      clearTimeout(pending.timer);
      this.timers.delete(file);
    }
    if (this.closed) return Promise.resolve();
    const contents: ExecutionFile = { formatVersion: 1, execution: execution.record, history: execution.history };
    const text = JSON.stringify(contents);
    const previous = this.chains.get(file) ?? Promise.resolve();
    const next = previous.then(() => writeAtomically(file, text));
    const settled = next.catch((error: unknown) => {
      console.error(`local Step Functions: could not write ${file}:`, error);
    });
    this.chains.set(file, settled);
    void settled.then(() => {
      if (this.chains.get(file) === settled) this.chains.delete(file);
    });
    return next;
  }

  /** Writes the execution soon; several calls within the debounce window make one write. */
  schedule(execution: StoredExecution): void {
    if (this.closed) return;
    const file = this.fileOf(execution.record);
    if (this.timers.has(file)) return;
    const timer = setTimeout(() => {
      this.timers.delete(file);
      void this.save(execution).catch(() => undefined);
    }, this.debounceMillis);
    this.timers.set(file, { timer, execution });
  }

  /** Writes what is scheduled, waits for writes in flight, then refuses further writes. */
  async close(): Promise<void> {
    const scheduled = [...this.timers.values()];
    for (const { execution } of scheduled) void this.save(execution).catch(() => undefined);
    this.closed = true;
    await Promise.all([...this.chains.values()]);
  }

  /** Every stored execution; unreadable files are reported and skipped, leftover temporary files removed. */
  async loadAll(): Promise<StoredExecution[]> {
    const root = path.join(this.dataDir, 'executions');
    let machines: string[];
    try {
      machines = await readdir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const loaded: StoredExecution[] = [];
    for (const machine of machines) {
      const directory = path.join(root, machine);
      for (const entry of await readdir(directory)) {
        const file = path.join(directory, entry);
        if (entry.endsWith('.tmp')) {
          await rm(file, { force: true });
          continue;
        }
        if (!entry.endsWith(FILE_SUFFIX)) continue;
        try {
          const parsed = JSON.parse(await readFile(file, 'utf8')) as ExecutionFile;
          if (parsed.formatVersion !== 1 || !parsed.execution?.executionArn || !Array.isArray(parsed.history)) {
            throw new Error('not an execution file of format version 1');
          }
          loaded.push({ record: parsed.execution, history: parsed.history });
        } catch (error) {
          console.warn(`local Step Functions: skipping ${file}: ${(error as Error).message}`);
        }
      }
    }
    return loaded;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  temporaryCounter += 1;
  const temporary = `${file}.${process.pid}.${temporaryCounter}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
