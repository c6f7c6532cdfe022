import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Lambda runtime of every handler. Node 24 (aws-cdk-lib 2.276 has NODEJS_24_X; cdk-nag AwsSolutions-L1 wants the
 * latest). The code is also run locally on Node 22 (package.json engines), so it must not use 24-only APIs; esbuild
 * targets node22 for the same reason.
 */
export const handlerRuntime = Runtime.NODEJS_24_X;
export const bundleTarget = 'node22';

/**
 * Makes `require` exist in the ESM bundle: some bundled CommonJS dependencies call `require('node:...')`, which
 * esbuild leaves as a runtime call that an ES module otherwise lacks.
 */
const esmRequireBanner =
  "import { createRequire as factuurCreateRequire } from 'node:module'; const require = factuurCreateRequire(import.meta.url);";

/**
 * Modules replaced in every Lambda bundle (esbuild `alias`), each with its reason:
 * - the AWS SDK's default credential chain by the environment provider Lambda's credentials come from
 *   (functions/shared/lambda-credentials.ts): about 90 KB less in every function (the chain's STS, SSO and sign-in
 *   clients), measured by bench/bundles.ts.
 */
export function bundleAliases(projectRoot: string): Record<string, string> {
  return { '@aws-sdk/credential-provider-node': `${projectRoot}/functions/shared/lambda-credentials.ts` };
}

/**
 * The esbuild options of every handler bundle, in esbuild's own terms: the stack passes them to NodejsFunction
 * (below, in its option names), and bench/bundles.ts builds with exactly these, so the bench measures what AWS runs.
 */
export function handlerEsbuildOptions(projectRoot: string) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundleTarget,
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: true,
    // Fault injection (functions/shared/faults.ts) exists for the local cloud's tests only: the AWS build fixes its
    // switch off, so the minifier drops the code and no environment variable can turn it on.
    define: { 'process.env.FACTUUR_FAULT_INJECTION': JSON.stringify('off') },
    sourcemap: true,
    sourcesContent: false,
    // The AWS SDK is bundled (see HandlerFunction).
    external: [] as string[],
    alias: bundleAliases(projectRoot),
    tsconfig: `${projectRoot}/tsconfig.json`,
  } as const;
}

export interface HandlerFunctionProps {
  /** Handler module id under functions/handlers/ (`api/health`). */
  readonly handler: string;
  /** Source file of the module. */
  readonly entry: string;
  /** Root of the npm project (where package-lock.json and node_modules are). */
  readonly projectRoot: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly logRetention?: RetentionDays;
  /** Renders invoice documents: the PDF fonts (npm package dejavu-fonts-ttf) go into the bundle's fonts/ folder. */
  readonly documentFonts?: boolean;
}

/** The TrueType files the PDFs embed (functions/documents/fonts.ts), copied next to the bundle. */
const documentFontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/**
 * One Lambda function for one handler module: Node 24 on arm64, bundled by esbuild as minified ESM with source
 * maps, its own log group, and its own role that (so far) may only write to that log group. Further permissions
 * are granted from infra/permissions.ts by {@link HandlerFunctions}.
 *
 * The AWS SDK v3 is bundled (externalModules: []), not taken from the runtime: the versions in package-lock.json
 * are the versions that run, the same as in tests and the local cloud, independent of the runtime's SDK updates.
 * Only the clients a handler imports end up in its bundle (tree-shaken, minified).
 */
export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: may write only to this function's log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `factuur handler ${props.handler}`,
    });
    this.logGroup.grantWrite(this.role);

    const esbuild = handlerEsbuildOptions(props.projectRoot);
    this.function = new NodejsFunction(this, 'Function', {
      description: `factuur handler ${props.handler}`,
      entry: props.entry,
      handler: 'handler',
      runtime: handlerRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'factuur',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'factuur',
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.documentFonts ? { FACTUUR_FONT_DIR: '/var/task/fonts' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: esbuild.target,
        mainFields: [...esbuild.mainFields],
        banner: esbuild.banner.js,
        minify: esbuild.minify,
        define: esbuild.define,
        sourceMap: esbuild.sourcemap,
        sourcesContent: esbuild.sourcesContent,
        externalModules: esbuild.external,
        tsconfig: esbuild.tsconfig,
        esbuildArgs: {
          '--alias': Object.entries(esbuild.alias).map(([module, replacement]) => `${module}=${replacement}`),
        },
        ...(props.documentFonts
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  `mkdir -p "${outputDir}/fonts"`,
                  ...documentFontFiles.map(
                    (file) => `cp "${inputDir}/node_modules/dejavu-fonts-ttf/ttf/${file}" "${outputDir}/fonts/${file}"`,
                  ),
                ],
              },
            }
          : {}),
        logLevel: LogLevel.WARNING,
      },
    });
  }
}
