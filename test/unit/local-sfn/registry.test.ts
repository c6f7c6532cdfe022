import { describe, expect, it } from 'vitest';
import { registerStateMachine, specFromWorkflow } from '../../../local/stepfunctions/registry.ts';

const scope = { region: 'eu-west-1', accountId: '000000000000' };
const noop = async () => ({});

function task(resource: string, extra: object = {}): object {
  return { Type: 'Task', Resource: resource, End: true, ...extra };
}

describe('local Step Functions: binding ASL Tasks to local handlers at start-up', () => {
  it('binds Tasks nested in Map ItemProcessor, Map Iterator and Parallel Branches', () => {
    const machine = registerStateMachine(
      {
        name: 'nested',
        definition: {
          StartAt: 'Fan',
          States: {
            Fan: {
              Type: 'Parallel',
              End: true,
              Branches: [
                { StartAt: 'A', States: { A: task('${First}') } },
                {
                  StartAt: 'Each',
                  States: {
                    Each: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'B', States: { B: task('${Second}') } } },
                  },
                },
                {
                  StartAt: 'Old',
                  States: {
                    Old: { Type: 'Map', End: true, Iterator: { StartAt: 'C', States: { C: task('${First}') } } },
                  },
                },
                {
                  StartAt: 'D',
                  States: {
                    D: task('arn:aws:states:::lambda:invoke', {
                      Parameters: { FunctionName: '${Third}', 'Payload.$': '$' },
                    }),
                  },
                },
              ],
            },
          },
        },
        taskHandlers: { First: noop, Second: noop, Third: 'billing/third' },
      },
      { ...scope, taskTimeoutSeconds: 300 },
    );
    expect(machine.arn).toBe('arn:aws:states:eu-west-1:000000000000:stateMachine:nested');
    expect(
      [...machine.tasks.values()].map(({ stateName, key, integration, functionArn, timeoutSeconds }) => ({
        stateName,
        key,
        integration,
        functionArn,
        timeoutSeconds,
      })),
    ).toEqual([
      {
        stateName: 'A',
        key: 'First',
        integration: 'lambda',
        functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:First',
        timeoutSeconds: 300,
      },
      {
        stateName: 'B',
        key: 'Second',
        integration: 'lambda',
        functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:Second',
        timeoutSeconds: 300,
      },
      {
        stateName: 'C',
        key: 'First',
        integration: 'lambda',
        functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:First',
        timeoutSeconds: 300,
      },
      {
        stateName: 'D',
        key: 'Third',
        integration: 'lambda:invoke',
        functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:billing-third',
        timeoutSeconds: 300,
      },
    ]);
    expect(machine.definitionText).not.toContain('${');
  });

  it('wraps lambda:invoke results as the Invoke API response and rethrows errors by their name', async () => {
    const machine = registerStateMachine(
      {
        name: 'invoke',
        definition: {
          StartAt: 'D',
          States: {
            D: task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: '${Fn}', 'Payload.$': '$' } }),
          },
        },
        taskHandlers: {
          Fn: async (event: { fail?: boolean }) => {
            if (event.fail) throw Object.assign(new Error('nope'), { name: 'BusinessError' });
            return { ok: true, at: new Date(0) };
          },
        },
      },
      scope,
    );
    const binding = machine.tasks.get('D');
    expect(await binding?.invoke({ FunctionName: 'x', Payload: {} })).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { ok: true, at: '1970-01-01T00:00:00.000Z' },
    });
    await expect(binding?.invoke({ FunctionName: 'x', Payload: { fail: true } })).rejects.toMatchObject({
      name: 'BusinessError',
    });
  });

  it('fails clearly on an unknown placeholder', () => {
    expect(() =>
      registerStateMachine(
        { name: 'm', definition: { StartAt: 'A', States: { A: task('${Missing}') } }, taskHandlers: { Other: noop } },
        scope,
      ),
    ).toThrow(/State machine 'm': unknown placeholder\(s\) \$\{Missing\}; bound placeholders: Other/);
  });

  it('refuses Tasks it cannot run locally and same-named Tasks calling different functions', () => {
    expect(() =>
      registerStateMachine(
        {
          name: 'm',
          definition: { StartAt: 'A', States: { A: task('arn:aws:states:::dynamodb:putItem') } },
          taskHandlers: {},
        },
        scope,
      ),
    ).toThrow(/Task 'A' has Resource "arn:aws:states:::dynamodb:putItem"/);
    expect(() =>
      registerStateMachine(
        {
          name: 'm',
          definition: {
            StartAt: 'A',
            States: { A: task('arn:aws:states:::lambda:invoke', { Parameters: { 'FunctionName.$': '$.fn' } }) },
          },
          taskHandlers: {},
        },
        scope,
      ),
    ).toThrow(/Parameters.FunctionName is not a string with one \$\{Key\} placeholder/);
    expect(() =>
      registerStateMachine(
        {
          name: 'm',
          definition: {
            StartAt: 'Each',
            States: {
              Each: { Type: 'Map', Next: 'Same', ItemProcessor: { StartAt: 'Same', States: { Same: task('${One}') } } },
              Same: task('${Two}'),
            },
          },
          taskHandlers: { One: noop, Two: noop },
        },
        scope,
      ),
    ).toThrow(/two Task states are named 'Same'/);
  });

  it('checks that a workflow’s handler modules exist', async () => {
    await expect(
      specFromWorkflow({
        name: 'wf',
        file: 'test/fixtures/workflows/retry-catch.asl.json',
        tasks: { FlakyFunction: 'no/such-handler' },
      }),
    ).rejects.toThrow(/\$\{FlakyFunction\} is bound to functions\/handlers\/no\/such-handler.ts, which does not exist/);
    await expect(
      specFromWorkflow({ name: 'wf', file: 'test/fixtures/workflows/missing.asl.json', tasks: {} }),
    ).rejects.toThrow(/cannot read ASL file/);
  });
});
