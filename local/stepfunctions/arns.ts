import { SfnError } from './protocol.ts';

/** ARNs of the local endpoint: same shapes as AWS, in a configurable region and account. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

export function stateMachineArn(scope: ArnScope, machineName: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${machineName}`;
}

export function executionArn(scope: ArnScope, machineName: string, executionName: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machineName}:${executionName}`;
}

export function lambdaFunctionArn(scope: ArnScope, functionName: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${functionName}`;
}

export function localRoleArn(scope: ArnScope): string {
  return `arn:aws:iam::${scope.accountId}:role/local-stepfunctions`;
}

interface ParsedStatesArn {
  readonly region: string;
  readonly accountId: string;
  readonly resourceType: string;
  readonly parts: string[];
}

function parseStatesArn(arn: string, field: string): ParsedStatesArn {
  const [prefix, partition, service, region, accountId, resourceType, ...parts] = arn.split(':');
  if (
    prefix !== 'arn' ||
    !partition ||
    service !== 'states' ||
    !region ||
    !accountId ||
    !resourceType ||
    parts.length === 0
  ) {
    throw new SfnError('InvalidArn', `Invalid Arn: '${arn}' is not a valid ${field}`);
  }
  return { region, accountId, resourceType, parts };
}

/** The state machine name, or undefined when the ARN is well formed but not of this region/account (does not exist). */
export function parseStateMachineArn(scope: ArnScope, arn: string): string | undefined {
  const parsed = parseStatesArn(arn, 'state machine ARN');
  if (parsed.resourceType !== 'stateMachine') {
    throw new SfnError('InvalidArn', `Invalid Arn: '${arn}' is not a state machine ARN`);
  }
  if (parsed.region !== scope.region || parsed.accountId !== scope.accountId || parsed.parts.length !== 1)
    return undefined;
  return parsed.parts[0];
}

export function parseExecutionArn(
  scope: ArnScope,
  arn: string,
): { machineName: string; executionName: string } | undefined {
  const parsed = parseStatesArn(arn, 'execution ARN');
  if (parsed.resourceType !== 'execution' || parsed.parts.length !== 2) {
    throw new SfnError('InvalidArn', `Invalid Arn: '${arn}' is not an execution ARN`);
  }
  if (parsed.region !== scope.region || parsed.accountId !== scope.accountId) return undefined;
  const [machineName, executionName] = parsed.parts as [string, string];
  return { machineName, executionName };
}

/**
 * AWS's rule for execution and state machine names: 1-80 characters, none of white space, brackets < > { } [ ],
 * wildcards ? *, special characters " # % \ ^ | ~ ` $ & , ; : / or control characters (U+0000-001F, U+007F-009F).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what AWS forbids in names
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function nameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length < 1 || length > 80) return `must be 1 to 80 characters long (got ${length})`;
  const forbidden = FORBIDDEN_NAME_CHARACTERS.exec(name);
  if (forbidden) return `must not contain ${JSON.stringify(forbidden[0])}`;
  return undefined;
}
