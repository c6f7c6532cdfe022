import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { WorkflowDefinition } from '../../infra/definitions/workflows.ts';
import { handlerModulePath } from '../lambda-runtime.ts';
import { type ArnScope, lambdaFunctionArn, nameProblem, stateMachineArn } from './arns.ts';
import {
  invokeFunction,
  invokeLambdaIntegration,
  type JsonValue,
  type TaskHandlerRef,
  type TaskIntegration,
} from './tasks.ts';

/**
 * The state machines the endpoint serves. Each ASL definition names its Lambda functions as `${Key}` placeholders
 * (Task `Resource: "${Key}"`, or `Resource: "arn:aws:states:::lambda:invoke"` with `Parameters.FunctionName: "${Key}"`),
 * as the CDK stack's DefinitionSubstitutions do; here every Task state is bound to a local handler. Bindings are made
 * at start-up so an unknown placeholder or an unbindable Task fails loudly before any execution runs.
 */
export interface LocalStateMachineSpec {
  readonly name: string;
  /** ASL as an object or JSON text. */
  readonly definition: object | string;
  /** `${Key}` -> handler id under functions/handlers/ (run by local/lambda-runtime.ts) or an inline handler. */
  readonly taskHandlers: Readonly<Record<string, TaskHandlerRef>>;
  /** aws-local-stepfunctions override: Wait state name -> milliseconds to wait instead of its Seconds/Timestamp. */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** aws-local-stepfunctions override: state name -> milliseconds between retries (one number, or one per retrier). */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
}

export interface TaskBinding {
  readonly stateName: string;
  /** The placeholder key (`Key` of `${Key}`). */
  readonly key: string;
  readonly integration: TaskIntegration;
  readonly functionArn: string;
  /** The state's TimeoutSeconds as run locally (also the handler context's deadline). */
  readonly timeoutSeconds: number;
  invoke(input: JsonValue): Promise<JsonValue>;
}

export interface RegisteredStateMachine {
  readonly name: string;
  readonly arn: string;
  /** The definition with placeholders replaced by Lambda ARNs, as DescribeStateMachine shows it. */
  readonly definitionText: string;
  readonly machine: StateMachine;
  /** Task state name (at any nesting depth) -> its binding. */
  readonly tasks: ReadonlyMap<string, TaskBinding>;
  readonly waitTimeOverrides: Record<string, number>;
  readonly retryIntervalOverrides: Record<string, number | number[]>;
  /** Milliseconds since the epoch. */
  readonly creationDate: number;
}

export interface RegistryOptions extends ArnScope {
  /**
   * TimeoutSeconds given to Task states that set neither TimeoutSeconds nor TimeoutSecondsPath. Unset: the
   * aws-local-stepfunctions default of 60 s (AWS itself has no Task default; the Lambda timeout bounds it there).
   */
  readonly taskTimeoutSeconds?: number;
}

const LIBRARY_DEFAULT_TASK_TIMEOUT_SECONDS = 60;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const PLACEHOLDER = /\$\{([^}]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([^}]*)\}$/;
export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

type AslObject = { [key: string]: unknown };

function isObject(value: unknown): value is AslObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Visits every state, including those of Map ItemProcessor/Iterator and Parallel Branches. */
function forEachState(
  definition: AslObject,
  visit: (name: string, state: AslObject, where: string) => void,
  where: string,
): void {
  const states = definition.States;
  if (!isObject(states) || typeof definition.StartAt !== 'string') {
    throw new Error(`${where}: expected an object with StartAt and States`);
  }
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) throw new Error(`${where}: state '${name}' is not an object`);
    visit(name, state, where);
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isObject(processor)) forEachState(processor, visit, `${where} > Map '${name}'`);
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch: unknown, index) => {
        if (isObject(branch)) forEachState(branch, visit, `${where} > Parallel '${name}' branch ${index}`);
      });
    }
  }
}

function substitute(value: unknown, replace: (key: string) => string): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_match, key: string) => replace(key));
  if (Array.isArray(value)) return value.map((item) => substitute(item, replace));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, replace)]));
  return value;
}

function functionNameOf(key: string, handler: TaskHandlerRef): string {
  return typeof handler === 'string' ? handler.replaceAll('/', '-') : key;
}

interface PendingBinding {
  key: string;
  integration: TaskIntegration;
  timeoutSeconds: number;
}

/** Which placeholder a Task state calls, or why it cannot run locally. */
function bindingKeyOf(
  stateName: string,
  state: AslObject,
  where: string,
): { key: string; integration: TaskIntegration } {
  const resource = state.Resource;
  const wholeResource = typeof resource === 'string' ? WHOLE_PLACEHOLDER.exec(resource) : null;
  if (wholeResource?.[1] !== undefined) return { key: wholeResource[1], integration: 'lambda' };
  if (resource === LAMBDA_INVOKE) {
    const parameters = state.Parameters;
    const functionName = isObject(parameters) ? parameters.FunctionName : undefined;
    const keys =
      typeof functionName === 'string' ? [...functionName.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '') : [];
    if (keys.length === 1 && keys[0] !== undefined) return { key: keys[0], integration: 'lambda:invoke' };
    throw new Error(
      `${where}: Task '${stateName}' uses ${LAMBDA_INVOKE} but Parameters.FunctionName is not a string with one \${Key} placeholder ` +
        `(a dynamic FunctionName.$ cannot be bound to a local handler)`,
    );
  }
  throw new Error(
    `${where}: Task '${stateName}' has Resource ${JSON.stringify(resource)}; the local endpoint only runs Tasks whose Resource is ` +
      `a \${Key} placeholder or ${LAMBDA_INVOKE} with Parameters.FunctionName \${Key}`,
  );
}

function parseDefinition(spec: LocalStateMachineSpec): AslObject {
  const parsed: unknown =
    typeof spec.definition === 'string' ? JSON.parse(spec.definition) : structuredClone(spec.definition);
  if (!isObject(parsed)) throw new Error(`State machine '${spec.name}': the definition is not a JSON object`);
  return parsed;
}

/** Binds one state machine; throws with a message naming the machine and state when it cannot run locally. */
export function registerStateMachine(spec: LocalStateMachineSpec, options: RegistryOptions): RegisteredStateMachine {
  const problem = nameProblem(spec.name);
  if (problem) throw new Error(`State machine name '${spec.name}' ${problem}`);
  const where = `State machine '${spec.name}'`;
  const raw = parseDefinition(spec);

  const unknown = new Set<string>();
  const resolved = substitute(raw, (key) => {
    const handler = spec.taskHandlers[key];
    if (handler === undefined) {
      unknown.add(key);
      return `\${${key}}`;
    }
    return lambdaFunctionArn(options, functionNameOf(key, handler));
  }) as AslObject;
  if (unknown.size > 0) {
    throw new Error(
      `${where}: unknown placeholder(s) ${[...unknown].map((key) => `\${${key}}`).join(', ')}; ` +
        `bound placeholders: ${Object.keys(spec.taskHandlers).join(', ') || '(none)'}`,
    );
  }

  const pending = new Map<string, PendingBinding>();
  forEachState(
    raw,
    (stateName, state, at) => {
      if (state.Type !== 'Task') return;
      const { key, integration } = bindingKeyOf(stateName, state, at);
      const explicit = state.TimeoutSeconds;
      const timeoutSeconds =
        typeof explicit === 'number'
          ? explicit
          : state.TimeoutSecondsPath === undefined && options.taskTimeoutSeconds !== undefined
            ? options.taskTimeoutSeconds
            : LIBRARY_DEFAULT_TASK_TIMEOUT_SECONDS;
      const previous = pending.get(stateName);
      if (previous && (previous.key !== key || previous.integration !== integration)) {
        throw new Error(
          `${at}: two Task states are named '${stateName}' but call different functions (\${${previous.key}} and \${${key}}); ` +
            `aws-local-stepfunctions binds local handlers by state name, so rename one of them`,
        );
      }
      pending.set(stateName, { key, integration, timeoutSeconds });
    },
    where,
  );

  const definitionText = JSON.stringify(resolved, null, 2);
  if (options.taskTimeoutSeconds !== undefined) {
    const taskTimeoutSeconds = options.taskTimeoutSeconds;
    forEachState(
      resolved,
      (_name, state) => {
        if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
          state.TimeoutSeconds = taskTimeoutSeconds;
        }
      },
      where,
    );
  }

  let machine: StateMachine;
  try {
    machine = new StateMachine(resolved as unknown as StateMachineDefinition);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const tasks = new Map<string, TaskBinding>();
  for (const [stateName, { key, integration, timeoutSeconds }] of pending) {
    const handler = spec.taskHandlers[key] as TaskHandlerRef;
    const functionName = functionNameOf(key, handler);
    const timeoutMillis = timeoutSeconds * 1000;
    tasks.set(stateName, {
      stateName,
      key,
      integration,
      functionArn: lambdaFunctionArn(options, functionName),
      timeoutSeconds,
      invoke:
        integration === 'lambda'
          ? (input) => invokeFunction(handler, functionName, input, timeoutMillis)
          : (input) => invokeLambdaIntegration(handler, functionName, input, timeoutMillis),
    });
  }

  return {
    name: spec.name,
    arn: stateMachineArn(options, spec.name),
    definitionText,
    machine,
    tasks,
    waitTimeOverrides: { ...spec.waitTimeOverrides },
    retryIntervalOverrides: { ...spec.retryIntervalOverrides },
    creationDate: Date.now(),
  };
}

/** Reads a WorkflowDefinition's ASL file (relative to the repository root) and checks its handler modules exist. */
export async function specFromWorkflow(
  workflow: WorkflowDefinition,
  root = repositoryRoot,
): Promise<LocalStateMachineSpec> {
  const file = path.resolve(root, workflow.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Workflow '${workflow.name}': cannot read ASL file ${workflow.file}: ${(error as Error).message}`);
  }
  for (const [key, handlerId] of Object.entries(workflow.tasks)) {
    try {
      await access(handlerModulePath(handlerId));
    } catch {
      throw new Error(
        `Workflow '${workflow.name}': \${${key}} is bound to functions/handlers/${handlerId}.ts, which does not exist`,
      );
    }
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new Error(`Workflow '${workflow.name}': ${workflow.file} is not valid JSON: ${(error as Error).message}`);
  }
  return { name: workflow.name, definition: definition as object, taskHandlers: workflow.tasks };
}

/** All state machines by name; duplicate names are an error. */
export async function loadStateMachines(
  workflows: readonly WorkflowDefinition[],
  extra: readonly LocalStateMachineSpec[],
  options: RegistryOptions,
): Promise<Map<string, RegisteredStateMachine>> {
  const specs = [...(await Promise.all(workflows.map((workflow) => specFromWorkflow(workflow)))), ...extra];
  const machines = new Map<string, RegisteredStateMachine>();
  for (const spec of specs) {
    if (machines.has(spec.name)) throw new Error(`Two state machines are named '${spec.name}'`);
    machines.set(spec.name, registerStateMachine(spec, options));
  }
  return machines;
}
