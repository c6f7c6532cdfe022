import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../infra/definitions/routes.ts';
import { workflows } from '../../../infra/definitions/workflows.ts';
import { schedules } from '../../../infra/definitions/schedules.ts';
import { defaultFirmSettings } from '../../../infra/definitions/firm.ts';
import { aslPlaceholders } from '../../../infra/constructs/workflow-state-machine.ts';
import { handlerModulePath } from '../../../local/lambda-runtime.ts';
import { localBuckets } from '../../../local/cloud.ts';
import { handlerEnvironment } from '../../../local/handler-environment.ts';
import { productionStack } from './synth.ts';

/**
 * One source of truth, two clouds: every route, workflow Task and schedule the local cloud runs (it reads
 * infra/definitions) has its counterpart in the CDK template, and the template has nothing the local cloud lacks.
 */
const resources = () =>
  productionStack().template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
const ofType = (type: string) =>
  Object.values(resources())
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties);

describe('local cloud and AWS template: the same routes, Tasks and schedules', () => {
  beforeAll(() => void productionStack(), 180_000);

  it('routes: every route of the table is an HTTP API route, and every HTTP API route is in the table', () => {
    const deployed = ofType('AWS::ApiGatewayV2::Route')
      .map((route) => route.RouteKey as string)
      .sort();
    expect(deployed).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('workflows: one state machine per ASL file, each Task bound on both sides to the same handler module', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines.map((machine) => machine.StateMachineName).sort()).toEqual(
      workflows.map((workflow) => workflow.name).sort(),
    );
    for (const workflow of workflows) {
      const asl = readFileSync(path.resolve(import.meta.dirname, '../../..', workflow.file), 'utf8');
      const machine = machines.find((candidate) => candidate.StateMachineName === workflow.name)!;
      // The deployed definition is the file itself; its placeholders are exactly the substitutions and the local bindings.
      expect(machine.DefinitionString).toBe(asl);
      expect(Object.keys(machine.DefinitionSubstitutions as object).sort()).toEqual(aslPlaceholders(asl));
      expect(Object.keys(workflow.tasks).sort()).toEqual(aslPlaceholders(asl));
      for (const handler of Object.values(workflow.tasks))
        expect(() => readFileSync(handlerModulePath(handler))).not.toThrow();
    }
  });

  it('schedules: the same cron, time zone, target and input on EventBridge Scheduler as the local schedules fire', () => {
    const deployed = ofType('AWS::Scheduler::Schedule');
    const local = schedules(defaultFirmSettings);
    expect(deployed).toHaveLength(local.length);
    for (const schedule of local) {
      const match = deployed.find(
        (candidate) =>
          candidate.ScheduleExpression === schedule.expression &&
          JSON.parse((candidate.Target as { Input: string }).Input)?.scheduledTime === schedule.input.scheduledTime,
      );
      expect(match, schedule.name).toBeDefined();
      expect(match?.ScheduleExpressionTimezone).toBe(schedule.timeZone);
      expect(JSON.parse((match!.Target as { Input: string }).Input)).toEqual(schedule.input);
    }
  });

  it('buckets: the document archive is the one bucket the handlers use on AWS, and the one local S3 serves them', () => {
    const all = Object.entries(resources()).filter(([, resource]) => resource.Type === 'AWS::S3::Bucket');
    // The portal's bucket and the log bucket are for CloudFront and S3 logging; no handler touches them.
    const used = new Set<string>();
    for (const fn of ofType('AWS::Lambda::Function')) {
      const variables = (fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const bucket = variables.DOCUMENT_BUCKET as { Ref?: string } | undefined;
      if (bucket) used.add(bucket.Ref ?? JSON.stringify(bucket));
    }
    expect([...used]).toHaveLength(localBuckets.length);
    const [archiveId] = [...used];
    expect(all.find(([id]) => id === archiveId)?.[1].Properties.ObjectLockEnabled).toBe(true);
    // Locally the handlers get the bucket local S3 creates, under the same variable, through the S3 endpoint variable.
    const local = handlerEnvironment(
      { dynamodb: 'http://d', ses: 'http://s', stepfunctions: 'http://f', s3: 'http://o' },
      'factuur',
    );
    expect(localBuckets).toEqual([local.DOCUMENT_BUCKET]);
    expect(local.AWS_ENDPOINT_URL_S3).toBe('http://o');
  });
});
