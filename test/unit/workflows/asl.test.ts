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
