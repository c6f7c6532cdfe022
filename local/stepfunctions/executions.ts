import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';
import { type ArnScope, executionArn, localRoleArn } from './arns.ts';
import { causeText, HistoryRecorder, jsonText } from './history.ts';
import { SfnError } from './protocol.ts';
import type { RegisteredStateMachine } from './registry.ts';
import type { ExecutionRecord, ExecutionStore, StoredExecution } from './store.ts';
import type { JsonValue } from './tasks.ts';

/**
 * Executions: starts them on aws-local-stepfunctions, keeps their records and history current, stops them, and on
 * open turns executions a previous run left RUNNING into FAILED (LocalCloud.Restarted): nothing survives a restart
 * but the record, as when the process is killed.
 */
export const RESTARTED_ERROR = 'LocalCloud.Restarted';
export const RESTARTED_CAUSE = 'The local cloud stopped while this execution was running';
const TIMED_OUT_CAUSE = 'The execution ran longer than the TimeoutSeconds of its state machine';
/** How long to wait, after an execution settles, for the library's event log to drain. */
const EVENT_LOG_DRAIN_MILLIS = 1000;

type Outcome =
  | { kind: 'succeeded'; output: JsonValue }
  | { kind: 'failed'; error: string; cause: string }
  | { kind: 'timedOut' }
  | { kind: 'aborted' };

interface LiveRun {
  readonly abort: () => void;
  /** Settles when the record and history are final (and written). */
  readonly done: Promise<void>;
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ExecutionAbortedError) return { kind: 'aborted' };
  if (error instanceof ExecutionTimeoutError) return { kind: 'timedOut' };
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    const failure = error.cause;
    return { kind: 'failed', error: failure.name, cause: causeText(failure.cause ?? failure.message) };
  }
  return { kind: 'failed', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) };
}

export class ExecutionService {
  private readonly executions = new Map<string, StoredExecution>();
  private readonly running = new Map<string, LiveRun>();
  private sequence = 0;
  private closed = false;

  private constructor(
    private readonly store: ExecutionStore,
    private readonly scope: ArnScope,
  ) {}

  /** Loads the stored executions; those left RUNNING by a previous process are marked FAILED and written back. */
  static async open(store: ExecutionStore, scope: ArnScope): Promise<ExecutionService> {
    const service = new ExecutionService(store, scope);
    const now = Date.now();
    for (const stored of await store.loadAll()) {
      const { record } = stored;
      service.sequence = Math.max(service.sequence, record.sequence);
      if (record.status === 'RUNNING') {
        Object.assign(record, { status: 'FAILED', stopDate: now, error: RESTARTED_ERROR, cause: RESTARTED_CAUSE });
        new HistoryRecorder(stored.history, new Map(), scope.region).append(
          'ExecutionFailed',
          { executionFailedEventDetails: { error: RESTARTED_ERROR, cause: RESTARTED_CAUSE } },
          now,
        );
        await store.save(stored);
      }
      service.executions.set(record.executionArn, stored);
    }
    return service;
  }

  get(arn: string): StoredExecution | undefined {
    return this.executions.get(arn);
  }

  /** The executions of one state machine, newest first. */
  ofStateMachine(machineName: string): StoredExecution[] {
    return [...this.executions.values()]
      .filter((stored) => stored.record.stateMachineName === machineName)
      .sort((a, b) => b.record.startDate - a.record.startDate || b.record.sequence - a.record.sequence);
  }

  /**
   * StartExecution semantics of a STANDARD workflow: the same name and input as a RUNNING execution returns that
   * execution; the same name otherwise (other input, or the execution has ended) is ExecutionAlreadyExists.
   */
  async start(
    machine: RegisteredStateMachine,
    name: string,
    inputText: string,
    input: JsonValue,
  ): Promise<ExecutionRecord> {
    if (this.closed) throw new SfnError('ServiceUnavailable', 'The local Step Functions endpoint is closing', 503);
    const arn = executionArn(this.scope, machine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.record.status === 'RUNNING' && existing.record.input === inputText) return existing.record;
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    this.sequence += 1;
    const stored: StoredExecution = {
      record: {
        executionArn: arn,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        name,
        status: 'RUNNING',
        startDate: Date.now(),
        sequence: this.sequence,
        input: inputText,
      },
      history: [],
    };
    this.executions.set(arn, stored);
    const recorder = new HistoryRecorder(stored.history, machine.tasks, this.scope.region, () =>
      this.store.schedule(stored),
    );
    recorder.append(
      'ExecutionStarted',
      {
        executionStartedEventDetails: {
          input: inputText,
          inputDetails: { truncated: false },
          roleArn: localRoleArn(this.scope),
        },
      },
      stored.record.startDate,
    );
    try {
      await this.store.save(stored);
    } catch (error) {
      this.executions.delete(arn);
      throw error;
    }
    // StopExecution may have come while the record was being written; then there is nothing to run.
    if (!this.closed && stored.record.status === 'RUNNING')
      this.running.set(arn, this.launch(machine, stored, recorder, input));
    return stored.record;
  }

  private launch(
    machine: RegisteredStateMachine,
    stored: StoredExecution,
    recorder: HistoryRecorder,
    input: JsonValue,
  ): LiveRun {
    const { record } = stored;
    let ended = false;
    const taskResourceLocalHandlers = Object.fromEntries(
      [...machine.tasks].map(([stateName, binding]) => [
        stateName,
        async (taskInput: JsonValue): Promise<JsonValue> => {
          // As on AWS: once an execution is stopped (or the endpoint closed), it starts no further Task. The
          // interpreter's abort does not reach Map iterations and retries already scheduled, so refuse them here.
          if (ended || this.closed)
            throw Object.assign(new Error(`${record.executionArn} has ended`), { name: 'States.Runtime' });
          const invocation = recorder.invocationStarted(stateName, taskInput);
          try {
            const result = await binding.invoke(taskInput);
            invocation.succeeded(result);
            return result;
          } catch (error) {
            invocation.failed();
            throw error;
          }
        },
      ]),
    );
    const execution = machine.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers,
        waitTimeOverrides: machine.waitTimeOverrides,
        retryIntervalOverrides: machine.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: localRoleArn(this.scope) },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    const consumer = (async () => {
      for await (const event of execution.eventLogs) {
        if (this.closed) return;
        try {
          recorder.record(event);
        } catch (error) {
          console.error(`local Step Functions: could not record ${event.type} of ${record.executionArn}:`, error);
        }
      }
    })();
    const done = execution.result
      .then((output): Outcome => ({ kind: 'succeeded', output }), outcomeOf)
      .then(async (outcome) => {
        let drainTimer: NodeJS.Timeout | undefined;
        await Promise.race([
          consumer,
          new Promise((resolve) => (drainTimer = setTimeout(resolve, EVENT_LOG_DRAIN_MILLIS))),
        ]);
        clearTimeout(drainTimer);
        if (this.closed) return; // left RUNNING on disk: the next start marks it FAILED (LocalCloud.Restarted)
        this.running.delete(record.executionArn);
        this.finish(stored, recorder, outcome);
        await this.store.save(stored);
      })
      .catch((error: unknown) => console.error(`local Step Functions: execution ${record.executionArn}:`, error));
    return {
      abort: () => {
        ended = true;
        execution.abort();
      },
      done: done.finally(() => {
        ended = true;
      }),
    };
  }

  private finish(stored: StoredExecution, recorder: HistoryRecorder, outcome: Outcome): void {
    const { record } = stored;
    if (record.status === 'ABORTED') {
      // StopExecution came first (whatever the machine did meanwhile): it set status, stopDate, error and cause.
      recorder.append(
        'ExecutionAborted',
        { executionAbortedEventDetails: { error: record.error, cause: record.cause } },
        record.stopDate,
      );
      return;
    }
    record.stopDate = Date.now();
    switch (outcome.kind) {
      case 'succeeded':
        record.status = 'SUCCEEDED';
        record.output = jsonText(outcome.output);
        recorder.append('ExecutionSucceeded', {
          executionSucceededEventDetails: { output: record.output, outputDetails: { truncated: false } },
        });
        return;
      case 'failed':
        Object.assign(record, { status: 'FAILED', error: outcome.error, cause: outcome.cause });
        recorder.append('ExecutionFailed', {
          executionFailedEventDetails: { error: outcome.error, cause: outcome.cause },
        });
        return;
      case 'timedOut':
        Object.assign(record, { status: 'TIMED_OUT', error: 'States.Timeout', cause: TIMED_OUT_CAUSE });
        recorder.append('ExecutionTimedOut', {
          executionTimedOutEventDetails: { error: 'States.Timeout', cause: TIMED_OUT_CAUSE },
        });
        return;
      case 'aborted': // only close() aborts without StopExecution, and then nothing is finished
        return;
    }
  }

  /** StopExecution: a RUNNING execution becomes ABORTED (answered once its record is final); others are left as they are. */
  async stop(stored: StoredExecution, error: string | undefined, cause: string | undefined): Promise<ExecutionRecord> {
    const { record } = stored;
    if (record.status !== 'RUNNING') return record;
    Object.assign(record, { status: 'ABORTED', stopDate: Date.now() });
    if (error !== undefined) record.error = error;
    if (cause !== undefined) record.cause = cause;
    const live = this.running.get(record.executionArn);
    if (live) {
      live.abort();
      await live.done;
    } else {
      new HistoryRecorder(stored.history, new Map(), this.scope.region).append(
        'ExecutionAborted',
        { executionAbortedEventDetails: { error: record.error, cause: record.cause } },
        record.stopDate,
      );
      await this.store.save(stored);
    }
    return record;
  }

  /**
   * Stops serving: running executions are aborted in memory but NOT recorded as ABORTED; their files stay RUNNING
   * (with the history written so far) and the next open marks them FAILED with LocalCloud.Restarted, exactly as
   * after a crash. Waits for pending writes.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.running.values()) live.abort();
    this.running.clear();
    await this.store.close();
  }
}
