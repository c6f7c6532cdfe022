import type { StateMachine } from 'aws-local-stepfunctions';
import type { TaskBinding } from './registry.ts';
import type { JsonValue } from './tasks.ts';

/**
 * Execution history in the shape of GetExecutionHistory, built from aws-local-stepfunctions' event log.
 *
 * The library reports states (entered/exited/failed/retried/caught), Map iterations and the execution's end; the
 * Lambda events AWS shows inside a Task (LambdaFunctionScheduled/Started/Succeeded/Failed/TimedOut, or TaskScheduled/
 * Started/Succeeded/Failed for `lambda:invoke`) are derived from them plus what the local Task handler saw
 * (its effective input and raw result, recorded by `invocationStarted`). previousEventId is the event before it.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Milliseconds since the epoch (GetExecutionHistory answers epoch seconds). */
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

interface Invocation {
  readonly input: JsonValue;
  status: 'running' | 'succeeded' | 'failed';
  result?: JsonValue;
}

const TIMEOUT_ERROR = 'States.Timeout';

export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function causeText(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}

export class HistoryRecorder {
  /** Handler calls not yet matched to a state event, per state name, oldest first. */
  private readonly queued = new Map<string, Invocation[]>();
  /**
   * The invocation of the current attempt, per state name, Map index and state input. The index alone does not tell
   * concurrent iterations apart: the library sets the index of the outermost Map on the events of nested Maps.
   */
  private readonly current = new Map<string, Invocation>();

  constructor(
    readonly events: HistoryEvent[],
    private readonly tasks: ReadonlyMap<string, TaskBinding>,
    private readonly region: string,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** Called by the local Task handler when it starts; returns the record it completes. */
  invocationStarted(stateName: string, input: JsonValue): { succeeded(result: JsonValue): void; failed(): void } {
    const invocation: Invocation = { input, status: 'running' };
    const queue = this.queued.get(stateName) ?? [];
    queue.push(invocation);
    this.queued.set(stateName, queue);
    return {
      succeeded: (result) => {
        invocation.status = 'succeeded';
        invocation.result = result;
      },
      failed: () => {
        invocation.status = 'failed';
      },
    };
  }

  append(type: string, details: Record<string, unknown> = {}, timestamp = Date.now()): HistoryEvent {
    const previous = this.events.at(-1);
    const event: HistoryEvent = {
      ...details,
      id: (previous?.id ?? 0) + 1,
      previousEventId: previous?.id ?? 0,
      timestamp,
      type,
    };
    this.events.push(event);
    this.onChange();
    return event;
  }

  /**
   * Translates one library event. ExecutionAborted/ExecutionTimeout are not translated here: the caller appends
   * them with the error and cause it knows (StopExecution's, or States.Timeout).
   */
  record(event: LibraryEvent): void {
    const at = event.timestamp;
    switch (event.type) {
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return; // execution-level events come from the runner; AWS shows no per-branch events
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
        this.append(
          event.type,
          { [detailsField(event.type)]: { name: event.parentState.name, index: event.index } },
          at,
        );
        return;
      case 'MapIterationFailed':
        this.append(
          event.type,
          { mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index } },
          at,
        );
        return;
      case 'StateEntered': {
        const { name, type, input } = event.state;
        this.append(
          `${type}StateEntered`,
          { stateEnteredEventDetails: { name, input: jsonText(input), inputDetails: { truncated: false } } },
          at,
        );
        if (type === 'Task') this.taskScheduled(name, invocationKey(event), at);
        if (type === 'Map' || type === 'Parallel') this.append(`${type}StateStarted`, {}, at);
        return;
      }
      case 'StateRetried':
        if (event.state.type === 'Task') this.taskScheduled(event.state.name, invocationKey(event), at);
        return;
      case 'StateFailed': {
        const { name, type } = event.state;
        if (type === 'Task') this.taskFailed(name, invocationKey(event), event.Error, causeText(event.Cause), at);
        if (type === 'Map' || type === 'Parallel') this.append(`${type}StateFailed`, {}, at);
        return;
      }
      case 'StateCaught':
        // AWS leaves a caught state with its exit event; its output is the next state's input.
        this.append(`${event.state.type}StateExited`, { stateExitedEventDetails: { name: event.state.name } }, at);
        return;
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (type === 'Task') this.taskSucceeded(name, invocationKey(event), at);
        if (type === 'Map' || type === 'Parallel') this.append(`${type}StateSucceeded`, {}, at);
        this.append(
          `${type}StateExited`,
          { stateExitedEventDetails: { name, output: jsonText(output), outputDetails: { truncated: false } } },
          at,
        );
        return;
      }
    }
  }

  private taskScheduled(stateName: string, key: string, at: number): void {
    const binding = this.tasks.get(stateName);
    const invocation = this.queued.get(stateName)?.shift();
    if (!binding || !invocation) {
      this.current.delete(key); // the state failed before its handler was called (e.g. a Parameters path error)
      return;
    }
    this.current.set(key, invocation);
    const input = jsonText(invocation.input);
    if (binding.integration === 'lambda') {
      this.append(
        'LambdaFunctionScheduled',
        {
          lambdaFunctionScheduledEventDetails: {
            resource: binding.functionArn,
            input,
            inputDetails: { truncated: false },
            timeoutInSeconds: binding.timeoutSeconds,
          },
        },
        at,
      );
      this.append('LambdaFunctionStarted', {}, at);
    } else {
      const resource = { resourceType: 'lambda', resource: 'invoke' };
      this.append(
        'TaskScheduled',
        {
          taskScheduledEventDetails: {
            ...resource,
            region: this.region,
            parameters: input,
            timeoutInSeconds: binding.timeoutSeconds,
          },
        },
        at,
      );
      this.append('TaskStarted', { taskStartedEventDetails: resource }, at);
    }
  }

  private taskSucceeded(stateName: string, key: string, at: number): void {
    const binding = this.tasks.get(stateName);
    const invocation = this.current.get(key);
    this.current.delete(key);
    if (!binding || !invocation) return;
    const output = jsonText(invocation.result);
    if (binding.integration === 'lambda') {
      this.append(
        'LambdaFunctionSucceeded',
        { lambdaFunctionSucceededEventDetails: { output, outputDetails: { truncated: false } } },
        at,
      );
    } else {
      this.append(
        'TaskSucceeded',
        {
          taskSucceededEventDetails: {
            resourceType: 'lambda',
            resource: 'invoke',
            output,
            outputDetails: { truncated: false },
          },
        },
        at,
      );
    }
  }

  private taskFailed(stateName: string, key: string, error: string, cause: string, at: number): void {
    const binding = this.tasks.get(stateName);
    const invocation = this.current.get(key);
    if (!binding || !invocation) return;
    if (invocation.status === 'succeeded') {
      // The function succeeded; the state failed afterwards (ResultSelector/ResultPath/OutputPath).
      this.taskSucceeded(stateName, key, at);
      return;
    }
    this.current.delete(key);
    const timedOut = error === TIMEOUT_ERROR;
    if (binding.integration === 'lambda') {
      const type = timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed';
      this.append(type, { [detailsField(type)]: { error, cause } }, at);
    } else {
      const type = timedOut ? 'TaskTimedOut' : 'TaskFailed';
      this.append(type, { [detailsField(type)]: { resourceType: 'lambda', resource: 'invoke', error, cause } }, at);
    }
  }
}

function invocationKey(event: {
  readonly state: { readonly name: string; readonly input: unknown };
  readonly index?: number;
}): string {
  return `${event.state.name}#${event.index ?? ''}#${jsonText(event.state.input)}`;
}

/** `LambdaFunctionFailed` -> `lambdaFunctionFailedEventDetails`, as the API names detail fields. */
export function detailsField(eventType: string): string {
  return `${eventType.charAt(0).toLowerCase()}${eventType.slice(1)}EventDetails`;
}

/** An event as GetExecutionHistory returns it; without execution data, inputs and outputs are left out. */
export function historyEventToWire(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: event.timestamp / 1000 };
  if (includeExecutionData) return wire;
  for (const [field, value] of Object.entries(wire)) {
    if (field.endsWith('EventDetails') && value !== null && typeof value === 'object') {
      const { input: _input, output: _output, parameters: _parameters, ...rest } = value as Record<string, unknown>;
      wire[field] = rest;
    }
  }
  return wire;
}
