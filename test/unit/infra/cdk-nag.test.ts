import { Validations, type App, type PolicyViolation } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, vi } from 'vitest';
import { createFactuurApp } from '../../../infra/factuur-app.ts';
import type { FactuurDefinitions } from '../../../infra/stack-definitions.ts';
import { fixtureDefinitions } from '../../fixtures/definitions.ts';
import { testContext } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

/**
 * cdk-nag 3 runs as a CDK validation plugin: `app.synth()` throws `ValidationFailed` (and writes
 * validation-report.json) when a finding is not acknowledged. For readable failures the findings are also
 * collected directly with `validateScope(app)` (the pack's public entry point for tests).
 */
function app(definitions?: FactuurDefinitions, nag = true): App {
  return createFactuurApp({
    nag,
    appProps: { context: { ...testContext } },
    ...(definitions ? { definitions } : {}),
  }).app;
}

function describeViolations(violations: readonly PolicyViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

/** The pack, made to ignore every acknowledgment (to see which findings the acknowledgments hide). */
function packIgnoringAcknowledgments(): AwsSolutionsChecks {
  const pack = new AwsSolutionsChecks();
  // isAcknowledged is private in cdk-nag's typings; overriding it on this one instance is the only hook.
  Object.assign(pack, { isAcknowledged: () => false });
  return pack;
}

/** Every `AwsSolutions-*` acknowledgment recorded in the tree: [construct path, rule id]. */
function acknowledgments(root: App): [string, string][] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
      .map((key) => key.replace(/^annotation::/i, ''))
      .filter((id) => id.startsWith('AwsSolutions-'))
      .map((id): [string, string] => [construct.node.path, id]),
  );
}

describe.each([
  ['production definitions', undefined],
  ['fixture definitions (workflow, schedule, protected routes, portal build)', fixtureDefinitions],
] as const)('cdk-nag AwsSolutions on the app with %s', (_name, definitions) => {
  it('has no unacknowledged findings', () => {
    const unchecked = app(definitions, false);
    unchecked.synth();
    const report = new AwsSolutionsChecks().validateScope(unchecked);
    expect(describeViolations(report.violations)).toEqual([]);
  });

  it('synthesizes with the cdk-nag plugin installed', () => {
    expect(() => app(definitions).synth()).not.toThrow();
  });

  it('acknowledges only findings that exist (no stale acknowledgments)', () => {
    const unchecked = app(definitions, false);
    unchecked.synth();
    const raw = packIgnoringAcknowledgments().validateScope(unchecked).violations;
    for (const [path, id] of acknowledgments(unchecked)) {
      const hidden = raw.some(
        (violation) =>
          violation.ruleName === id &&
          violation.violatingResources.some((resource) => (resource.constructPath ?? '').startsWith(`${path}/`)),
      );
      expect(hidden, `${id} acknowledged at ${path} hides no finding`).toBe(true);
    }
  });
});

describe('cdk-nag wiring', () => {
  it('fails the synth of createFactuurApp on a new finding', () => {
    const nagged = app();
    const stack = nagged.node.findChild('Factuur');
    new Bucket(stack, 'CarelessBucket');
    expect(() => nagged.synth()).toThrow(/AwsSolutions-S1[\s\S]*AwsSolutions-S10[\s\S]*validation-report\.json/);
    const report = new AwsSolutionsChecks().validateScope(nagged);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });
});
