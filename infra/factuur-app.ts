import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FactuurStack } from './factuur-stack.ts';
import { settingsFromContext } from './settings.ts';
import type { FactuurDefinitions } from './stack-definitions.ts';

export interface FactuurAppOptions {
  /** Passed to App (tests: context, outdir). */
  readonly appProps?: AppProps;
  /** Stack definitions; default: the shared definitions. */
  readonly definitions?: FactuurDefinitions;
  /** Run cdk-nag (AwsSolutions) as a validation plugin at synth; default true. */
  readonly nag?: boolean;
}

export const stackName = 'Factuur';

/**
 * The CDK app: one FactuurStack configured from the context, checked by cdk-nag's AwsSolutions pack at synth
 * (any unacknowledged finding fails the synth). Environment-agnostic: account and region come from the CLI.
 */
export function createFactuurApp(options: FactuurAppOptions = {}): { app: App; stack: FactuurStack } {
  const app = new App(options.appProps);
  const settings = settingsFromContext(app.node);
  const stack = new FactuurStack(app, stackName, {
    settings,
    ...(options.definitions ? { definitions: options.definitions } : {}),
    description: 'factuur: serverless project invoicing',
  });
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack };
}
