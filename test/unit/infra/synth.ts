import { Template } from 'aws-cdk-lib/assertions';
import { createFactuurApp, type FactuurAppOptions } from '../../../infra/factuur-app.ts';
import type { FactuurStack } from '../../../infra/factuur-stack.ts';
import type { FactuurDefinitions } from '../../../infra/stack-definitions.ts';
import { fixtureDefinitions } from '../../fixtures/definitions.ts';
import { factuurDefinitions } from '../../../infra/stack-definitions.ts';

/** Context that skips esbuild bundling (functions get a dummy asset) and writes nowhere shared. */
export const testContext = { 'aws:cdk:bundling-stacks': [] } as const;

export interface Synthesized {
  readonly stack: FactuurStack;
  readonly template: Template;
}

/** Builds the app as infra/app.ts does (without cdk-nag, see cdk-nag.test.ts) and returns the stack's template. */
export function synth(
  options: { definitions?: FactuurDefinitions; context?: Record<string, unknown> } = {},
): Synthesized {
  const appOptions: FactuurAppOptions = {
    nag: false,
    appProps: { context: { ...testContext, ...options.context } },
    ...(options.definitions ? { definitions: options.definitions } : {}),
  };
  const { stack } = createFactuurApp(appOptions);
  return { stack, template: Template.fromStack(stack) };
}

let production: Synthesized | undefined;
let fixture: Synthesized | undefined;

/**
 * The stack from the real definitions, without a portal build (portal/dist exists once someone built the portal,
 * e.g. the browser tests running beside these; the fixture stack covers the deployment of a build).
 */
export function productionStack(): Synthesized {
  production ??= synth({ definitions: { ...factuurDefinitions, portalBuildDir: '/nonexistent/factuur-portal-dist' } });
  return production;
}

/** The stack from test/fixtures/definitions.ts: protected routes, a workflow, a schedule, a portal build. */
export function fixtureStack(): Synthesized {
  fixture ??= synth({ definitions: fixtureDefinitions });
  return fixture;
}

/** The one resource of a type whose logical id starts with `prefix` (a construct path, flattened). */
export function resourceId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`Expected one ${type} with id ${prefix}*, found [${ids.join(', ')}]`);
  return ids[0] as string;
}
