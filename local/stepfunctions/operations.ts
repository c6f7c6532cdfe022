import { randomUUID } from 'node:crypto';
import { type ArnScope, localRoleArn, nameProblem, parseExecutionArn, parseStateMachineArn } from './arns.ts';
import type { ExecutionService } from './executions.ts';
import { historyEventToWire } from './history.ts';
import {
  decodeToken,
  encodeToken,
  type JsonObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
  SfnError,
  toEpochSeconds,
} from './protocol.ts';
import type { RegisteredStateMachine } from './registry.ts';
import { EXECUTION_STATUSES, type ExecutionRecord, type ExecutionStatus, type StoredExecution } from './store.ts';
import type { JsonValue } from './tasks.ts';

/** The Step Functions API operations the endpoint answers: request body in, response body out (wire shapes). */
export type Operation = (body: JsonObject) => Promise<unknown>;

const MAX_INPUT_BYTES = 256 * 1024;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function createOperations(
  executions: ExecutionService,
  machines: ReadonlyMap<string, RegisteredStateMachine>,
  scope: ArnScope,
): Record<string, Operation> {
  function machineOf(arn: string): RegisteredStateMachine {
    const name = parseStateMachineArn(scope, arn);
    const machine = name === undefined ? undefined : machines.get(name);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  function executionOf(arn: string): StoredExecution {
    parseExecutionArn(scope, arn); // InvalidArn when malformed
    const stored = executions.get(arn);
    if (!stored) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return stored;
  }

  function pageSize(body: JsonObject): number {
    const requested = optionalInteger(body, 'maxResults', 0, MAX_PAGE_SIZE);
    return requested === undefined || requested === 0 ? DEFAULT_PAGE_SIZE : requested;
  }

  function describeStateMachine(machine: RegisteredStateMachine): Record<string, unknown> {
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: localRoleArn(scope),
      type: 'STANDARD',
      creationDate: toEpochSeconds(machine.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  function listItem(record: ExecutionRecord): Record<string, unknown> {
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: toEpochSeconds(record.startDate),
      ...(record.stopDate === undefined ? {} : { stopDate: toEpochSeconds(record.stopDate) }),
    };
  }

  return {
    async StartExecution(body) {
      const machine = machineOf(requiredString(body, 'stateMachineArn'));
      const name = optionalString(body, 'name') ?? randomUUID();
      const problem = nameProblem(name);
      if (problem) throw new SfnError('InvalidName', `Invalid Name: '${name}' (${problem})`);
      const inputText = optionalString(body, 'input') ?? '{}';
      if (Buffer.byteLength(inputText, 'utf8') > MAX_INPUT_BYTES) {
        throw new SfnError('InvalidExecutionInput', `Invalid Execution Input: larger than ${MAX_INPUT_BYTES} bytes`);
      }
      let input: JsonValue;
      try {
        input = JSON.parse(inputText) as JsonValue;
      } catch (error) {
        throw new SfnError('InvalidExecutionInput', `Invalid Execution Input: ${(error as Error).message}`);
      }
      const record = await executions.start(machine, name, inputText, input);
      return { executionArn: record.executionArn, startDate: toEpochSeconds(record.startDate) };
    },

    async DescribeExecution(body) {
      const { record } = executionOf(requiredString(body, 'executionArn'));
      return {
        ...listItem(record),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.cause === undefined ? {} : { cause: record.cause }),
      };
    },

    async ListExecutions(body) {
      const arn = optionalString(body, 'stateMachineArn');
      if (arn === undefined) {
        throw new SfnError('ValidationException', 'stateMachineArn is required (Map Runs are not supported locally)');
      }
      const machine = machineOf(arn);
      const statusFilter = optionalString(body, 'statusFilter');
      // The filters AWS accepts: every execution status, and PENDING_REDRIVE (the AWS CLI v2 knows it; an execution
      // is in it only while a RedriveExecution is being set up, which this endpoint never is).
      if (
        statusFilter !== undefined &&
        statusFilter !== 'PENDING_REDRIVE' &&
        !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)
      ) {
        throw new SfnError(
          'ValidationException',
          `statusFilter must be one of ${[...EXECUTION_STATUSES, 'PENDING_REDRIVE'].join(', ')}`,
        );
      }
      const limit = pageSize(body);
      let candidates = executions
        .ofStateMachine(machine.name)
        .map((stored) => stored.record)
        .filter((record) => statusFilter === undefined || record.status === statusFilter);
      const token = optionalString(body, 'nextToken');
      if (token !== undefined) {
        const cursor = decodeToken(token);
        const { d: afterDate, s: afterSequence } = cursor;
        if (
          cursor.m !== machine.arn ||
          (cursor.f ?? undefined) !== statusFilter ||
          typeof afterDate !== 'number' ||
          typeof afterSequence !== 'number'
        ) {
          throw new SfnError('InvalidToken', 'Invalid Token: the nextToken belongs to another request');
        }
        candidates = candidates.filter(
          (r) => r.startDate < afterDate || (r.startDate === afterDate && r.sequence < afterSequence),
        );
      }
      const page = candidates.slice(0, limit);
      const last = page.at(-1);
      return {
        executions: page.map(listItem),
        ...(candidates.length > limit && last
          ? { nextToken: encodeToken({ m: machine.arn, f: statusFilter ?? null, d: last.startDate, s: last.sequence }) }
          : {}),
      };
    },

    async StopExecution(body) {
      const stored = executionOf(requiredString(body, 'executionArn'));
      const error = optionalString(body, 'error');
      const cause = optionalString(body, 'cause');
      if (error !== undefined && error.length > 256)
        throw new SfnError('ValidationException', 'error must be at most 256 characters');
      if (cause !== undefined && cause.length > 32768)
        throw new SfnError('ValidationException', 'cause must be at most 32768 characters');
      const record = await executions.stop(stored, error, cause);
      return { stopDate: toEpochSeconds(record.stopDate ?? Date.now()) };
    },

    async GetExecutionHistory(body) {
      const arn = requiredString(body, 'executionArn');
      const stored = executionOf(arn);
      const reverseOrder = optionalBoolean(body, 'reverseOrder') ?? false;
      const includeExecutionData = optionalBoolean(body, 'includeExecutionData') ?? true;
      const limit = pageSize(body);
      let events = reverseOrder ? [...stored.history].reverse() : [...stored.history];
      const token = optionalString(body, 'nextToken');
      if (token !== undefined) {
        const cursor = decodeToken(token);
        const afterId = cursor.i;
        if (cursor.a !== arn || cursor.r !== reverseOrder || typeof afterId !== 'number') {
          throw new SfnError('InvalidToken', 'Invalid Token: the nextToken belongs to another request');
        }
        events = events.filter((event) => (reverseOrder ? event.id < afterId : event.id > afterId));
      }
      const page = events.slice(0, limit);
      const last = page.at(-1);
      return {
        events: page.map((event) => historyEventToWire(event, includeExecutionData)),
        ...(events.length > limit && last ? { nextToken: encodeToken({ a: arn, r: reverseOrder, i: last.id }) } : {}),
      };
    },

    async DescribeStateMachine(body) {
      return describeStateMachine(machineOf(requiredString(body, 'stateMachineArn')));
    },

    async DescribeStateMachineForExecution(body) {
      const { record } = executionOf(requiredString(body, 'executionArn'));
      const { stateMachineArn, name, definition, roleArn, creationDate } = describeStateMachine(
        machineOf(record.stateMachineArn),
      );
      return { stateMachineArn, name, definition, roleArn, updateDate: creationDate };
    },

    async ListStateMachines(body) {
      const limit = pageSize(body);
      let sorted = [...machines.values()].sort((a, b) => a.name.localeCompare(b.name));
      const token = optionalString(body, 'nextToken');
      if (token !== undefined) {
        const after = decodeToken(token).after;
        if (typeof after !== 'string') throw new SfnError('InvalidToken', 'Invalid Token');
        sorted = sorted.filter((machine) => machine.name.localeCompare(after) > 0);
      }
      const page = sorted.slice(0, limit);
      const last = page.at(-1);
      return {
        stateMachines: page.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: 'STANDARD',
          creationDate: toEpochSeconds(machine.creationDate),
        })),
        ...(sorted.length > limit && last ? { nextToken: encodeToken({ after: last.name }) } : {}),
      };
    },
  };
}
