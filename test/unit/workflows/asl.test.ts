import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../../infra/definitions/workflows.ts';
import { aslPlaceholders } from '../../../infra/constructs/workflow-state-machine.ts';
import { repositoryRoot } from '../../../infra/stack-definitions.ts';
import { fixtureWorkflow } from '../../fixtures/definitions.ts';

/** All checks on (JSON paths and Resource ARNs; `${Placeholder}` Resources pass the ARN check). */
const allChecks = { checkArn: true, checkPaths: true } as const;

function aslFilesIn(folder: string): string[] {
  const absolute = path.join(repositoryRoot, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => path.join(folder, file))
    .sort();
}

const aslFiles = [...aslFilesIn('workflows'), ...aslFilesIn('test/fixtures/workflows')];

describe('ASL files', () => {
  it('include at least the fixture (so this suite validates something while workflows/ is empty)', () => {
    expect(aslFiles).toContain(fixtureWorkflow.file);
  });

  it.each(aslFiles)('%s is valid Amazon States Language', (file) => {
    const definition: unknown = JSON.parse(readFileSync(path.join(repositoryRoot, file), 'utf8'));
    const result = validator(definition, allChecks);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the validator is not vacuous: it rejects a broken definition', () => {
    const broken = { StartAt: 'Missing', States: { First: { Type: 'Task', Resource: '${Fn}', Next: 'Nowhere' } } };
    expect(validator(broken, allChecks).isValid).toBe(false);
  });
});

describe('workflow definitions (infra/definitions/workflows.ts)', () => {
  it.each([...workflows, fixtureWorkflow].map((workflow) => [workflow.name, workflow] as const))(
    '%s: its ASL file exists, is valid, and its placeholders are exactly its tasks',
    (_name, workflow) => {
      const file = path.join(repositoryRoot, workflow.file);
      expect(existsSync(file), `${workflow.file} does not exist`).toBe(true);
      const asl = readFileSync(file, 'utf8');
      expect(validator(JSON.parse(asl), allChecks).errorsText()).toBe('');
      expect(aslPlaceholders(asl)).toEqual(Object.keys(workflow.tasks).sort());
      for (const handler of Object.values(workflow.tasks)) {
        expect(handler).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/);
      }
    },
  );

  it('every production workflow file lies under workflows/ and its task handlers exist', () => {
    for (const workflow of workflows) {
      expect(workflow.file.startsWith('workflows/')).toBe(true);
      for (const handler of Object.values(workflow.tasks)) {
        expect(existsSync(path.join(repositoryRoot, 'functions', 'handlers', `${handler}.ts`)), handler).toBe(true);
      }
    }
  });

  it('uses only what the local interpreter reads as AWS does: JSONPath, and no Choice rule with IsNull: false', () => {
    // aws-local-stepfunctions 3.0.0 takes `IsNull: false` as true (a page cursor was never followed); write
    // `IsNull: true` and swap the branches. JSONata and variables are not run locally at all.
    for (const workflow of workflows) {
      const asl = readFileSync(path.join(repositoryRoot, workflow.file), 'utf8');
      expect(asl, workflow.file).not.toMatch(/"IsNull"\s*:\s*false/);
      expect(asl, workflow.file).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|"Assign"\s*:/);
    }
  });
});

describe('the invoice run on AWS and locally', () => {
  const asl = JSON.parse(readFileSync(path.join(repositoryRoot, 'workflows/invoice-run.asl.json'), 'utf8'));
  const perPage = asl.States.ForEachRunDate.ItemProcessor.States.InvoiceDueProjects;

  it('runs the batches of a page as a Distributed Map of Express children on AWS (inline in the local interpreter)', () => {
    expect(perPage.Type).toBe('Map');
    expect(perPage.ItemsPath).toBe('$.page.batches');
    expect(perPage.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    // Every batch of a 200-project page at once; Express children end inside 5 minutes (Task timeout 240 s).
    expect(perPage.MaxConcurrency).toBeGreaterThanOrEqual(20);
    expect(perPage.ItemProcessor.States.InvoiceProject.TimeoutSeconds).toBeLessThanOrEqual(240);
    expect(perPage.Comment).toMatch(/Express/);
    expect(perPage.Comment).toMatch(/transitions/);
  });

  it('hands failed projects of a batch to RecordRunFailure and loops only over the projects still building', () => {
    const states = perPage.ItemProcessor.States;
    expect(states.FailuresToRecord.Choices[0]).toMatchObject({
      Variable: '$.result.hasFailures',
      Next: 'RecordRunFailure',
    });
    expect(states.RecordRunFailure.Parameters['failures.$']).toBe('$.result.failed');
    expect(states.ContinueBatch.Parameters['projectIds.$']).toBe('$.result.projectIds');
    expect(states.InvoiceProject.Catch[0].Next).toBe('RecordBatchFailure');
  });
});
