import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { routeHandlers } from '../infra/definitions/routes.ts';
import { workflowHandlers } from '../infra/definitions/workflows.ts';
import { handlerEsbuildOptions } from '../infra/constructs/handler-function.ts';
import { argument, log, median, repositoryRoot } from './lib.ts';

/**
 * Lambda size and start: each handler module bundled with the esbuild options the CDK stack uses (the same object,
 * handlerEsbuildOptions of infra/constructs/handler-function.ts: ESM, minified, target node22, the createRequire
 * banner, fault injection defined off, AWS SDK bundled with the Lambda credential provider aliased in, source map
 * beside it), its size, and the time to import it
 * in a fresh Node process (--enable-source-maps, as deployed), against a bundle of a handler that imports only
 * @aws-sdk/client-dynamodb. Import times: median of --reps fresh processes, each right after one of the baseline;
 * the ratio is the median of those pairs.
 *
 *   tsx bench/bundles.ts --reps 5 --out result.json
 */
const reps = Number(argument('reps', '5'));
const out = argument('out');

export interface BundleResult {
  readonly reps: number;
  readonly baseline: { readonly bytes: number; readonly importMillis: number };
  // importRatio: the median of paired ratios (function / the baseline imported just before it).
  readonly functions: {
    readonly handler: string;
    readonly bytes: number;
    readonly importMillis: number;
    readonly importRatio: number;
    readonly largest: { readonly name: string; readonly bytes: number }[];
    /** For a bundle over 500 KB: its size with the heavy libraries left out, one more at a time (what each costs). */
    readonly without?: { readonly packages: readonly string[]; readonly bytes: number }[];
  }[];
}

/** The libraries that make a bundle heavy, in the order they are left out to see what each costs. */
const heavyLibraries = ['@e-invoice-eu/core', 'pdfkit', 'nodemailer'];

const dir = mkdtempSync(path.join(tmpdir(), 'factuur-bench-bundles-'));
try {
  writeFileSync(out, JSON.stringify(await measure(), null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function bundle(
  entry: string,
  name: string,
  external: string[] = [],
): Promise<{
  file: string;
  bytes: number;
  largest: { readonly name: string; readonly bytes: number }[];
  packages: Set<string>;
}> {
  const outdir = path.join(dir, name.replaceAll('/', '-'), ...external.map((library) => library.replaceAll('/', '-')));
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, 'index.mjs');
  const options = handlerEsbuildOptions(repositoryRoot);
  const result = await build({
    ...options,
    mainFields: [...options.mainFields],
    metafile: true,
    entryPoints: [entry],
    outfile,
    external: [...options.external, ...external],
    logLevel: 'warning',
    absWorkingDir: repositoryRoot,
  });
  // What the bytes are: the output bytes of each package (or of our own code), largest first.
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const owner = match ? match[1]! : 'factuur (own code)';
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([owner, bytes]) => ({ name: owner, bytes }));
  return { file: outfile, bytes: statSync(outfile).size, largest, packages: new Set(byPackage.keys()) };
}

function importMillis(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      TABLE_NAME: 'factuur',
      POWERTOOLS_SERVICE_NAME: 'factuur',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_NAMESPACE: 'factuur',
    },
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  return Number(child.stdout);
}

async function measure(): Promise<BundleResult> {
  const baseline = await bundle(path.join(repositoryRoot, 'bench', 'baseline', 'dynamodb-only.ts'), 'baseline');
  const handlers = [...routeHandlers(), ...workflowHandlers()];
  const bundles = [];
  for (const handler of handlers) {
    const entry = path.join(repositoryRoot, 'functions', 'handlers', `${handler}.ts`);
    const full = await bundle(entry, handler);
    const without: { packages: string[]; bytes: number }[] = [];
    if (full.bytes > 500 * 1024) {
      const left: string[] = [];
      for (const library of heavyLibraries.filter((candidate) => full.packages.has(candidate))) {
        left.push(library);
        without.push({ packages: [...left], bytes: (await bundle(entry, handler, [...left])).bytes });
      }
    }
    bundles.push({ handler, ...full, without });
  }
  log(`bundled ${bundles.length} handlers`);

  // Paired: each import of a function right after one of the baseline, and the ratio of the pair, so that a slower
  // moment of the shared machine slows both sides of a ratio alike.
  const baselineTimes: number[] = [];
  const times = new Map<string, number[]>(handlers.map((handler) => [handler, []]));
  const ratios = new Map<string, number[]>(handlers.map((handler) => [handler, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const entry of bundles) {
      const baselineMillis = importMillis(baseline.file);
      const millis = importMillis(entry.file);
      baselineTimes.push(baselineMillis);
      times.get(entry.handler)!.push(millis);
      ratios.get(entry.handler)!.push(millis / baselineMillis);
    }
  }
  return {
    reps,
    baseline: { bytes: baseline.bytes, importMillis: median(baselineTimes) },
    functions: bundles.map((entry) => {
      const millis = median(times.get(entry.handler)!);
      return {
        handler: entry.handler,
        bytes: entry.bytes,
        importMillis: millis,
        importRatio: median(ratios.get(entry.handler)!),
        largest: entry.largest,
        ...(entry.without.length ? { without: entry.without } : {}),
      };
    }),
  };
}
