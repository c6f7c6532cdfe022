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
 * beside it), its size, and what importing it costs in a fresh Node process (--enable-source-maps, as deployed),
 * against a bundle of a handler that imports only @aws-sdk/client-dynamodb.
 *
 * Import cost: the CPU time of `await import(bundle)` in a fresh process (process.cpuUsage, user + system of all its
 * threads: parsing, compiling, running the module's top level, the collector), and its wall-clock time beside it.
 * CPU time, not wall-clock time: on this shared 2-core machine a process waiting for a core adds wall-clock time
 * that is not the bundle's; the work the bundle costs is its CPU time, and on Lambda (1,024 MB is about 0.6 of a
 * vCPU) that work is what a cold start waits for. Paired and interleaved: every round imports each function
 * once, each right beside a baseline import (baseline first in even rounds, the function first in odd ones, so a
 * warming or cooling machine favours neither side), and the function's ratio is the median over the rounds of
 * function / its paired baseline. Every bundle is imported once untimed first (the page cache). --reps rounds for
 * the user-facing (API) functions, --reps-behind for the workflow functions, whose ratios no target judges.
 *
 *   tsx bench/bundles.ts --reps 15 --reps-behind 3 --out result.json
 */
const reps = Number(argument('reps', '15'));
const repsBehind = Number(argument('reps-behind', '3'));
const out = argument('out');

export interface ImportCost {
  /** Median CPU time (user + system, all threads) of the import, milliseconds. */
  readonly cpuMillis: number;
  /** Median wall-clock time of the import, milliseconds (shown, not judged). */
  readonly wallMillis: number;
}

export interface BundleResult {
  readonly reps: number;
  readonly repsBehind: number;
  readonly baseline: { readonly bytes: number } & ImportCost;
  readonly functions: ({
    readonly handler: string;
    readonly userFacing: boolean;
    readonly bytes: number;
    /** How many paired rounds measured it. */
    readonly rounds: number;
    /** Median over the rounds of its CPU time / the paired baseline's. */
    readonly importRatio: number;
    /** The lower and upper quartile of those ratios (how far one round strays). */
    readonly importRatioQuartiles: readonly [number, number];
    /** Median of the paired wall-clock ratios (shown, not judged). */
    readonly wallRatio: number;
    readonly largest: { readonly name: string; readonly bytes: number }[];
    /** For a bundle over 500 KB: its size with the heavy libraries left out, one more at a time (what each costs). */
    readonly without?: { readonly packages: readonly string[]; readonly bytes: number }[];
  } & ImportCost)[];
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

/** One import of a bundle in a fresh Node process: its CPU time and wall-clock time. */
function importCost(file: string): { cpu: number; wall: number } {
  const script = [
    'const cpu = process.cpuUsage();',
    'const start = performance.now();',
    `await import(${JSON.stringify(file)});`,
    'const wall = performance.now() - start;',
    'const used = process.cpuUsage(cpu);',
    'process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1000, wall }));',
  ].join(' ');
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
  return JSON.parse(child.stdout) as { cpu: number; wall: number };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = sorted[Math.floor(at)] as number;
  const above = sorted[Math.ceil(at)] as number;
  return below + (above - below) * (at - Math.floor(at));
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

  const userFacing = new Set(routeHandlers());
  const roundsOf = (handler: string) => (userFacing.has(handler) ? reps : repsBehind);
  for (const file of [baseline.file, ...bundles.map((entry) => entry.file)]) importCost(file);
  const baselineRuns: { cpu: number; wall: number }[] = [];
  const pairs = new Map<string, { fn: { cpu: number; wall: number }; base: { cpu: number; wall: number } }[]>(
    handlers.map((handler) => [handler, []]),
  );
  for (let round = 0; round < Math.max(reps, repsBehind); round++) {
    for (const entry of bundles.filter((candidate) => round < roundsOf(candidate.handler))) {
      const baselineFirst = round % 2 === 0;
      const first = importCost(baselineFirst ? baseline.file : entry.file);
      const second = importCost(baselineFirst ? entry.file : baseline.file);
      const [base, fn] = baselineFirst ? [first, second] : [second, first];
      baselineRuns.push(base);
      pairs.get(entry.handler)!.push({ fn, base });
    }
  }
  return {
    reps,
    repsBehind,
    baseline: {
      bytes: baseline.bytes,
      cpuMillis: median(baselineRuns.map((run) => run.cpu)),
      wallMillis: median(baselineRuns.map((run) => run.wall)),
    },
    functions: bundles.map((entry) => {
      const measured = pairs.get(entry.handler)!;
      const ratios = measured.map((pair) => pair.fn.cpu / pair.base.cpu);
      return {
        handler: entry.handler,
        userFacing: userFacing.has(entry.handler),
        bytes: entry.bytes,
        rounds: measured.length,
        cpuMillis: median(measured.map((pair) => pair.fn.cpu)),
        wallMillis: median(measured.map((pair) => pair.fn.wall)),
        importRatio: median(ratios),
        importRatioQuartiles: [quantile(ratios, 0.25), quantile(ratios, 0.75)] as const,
        wallRatio: median(measured.map((pair) => pair.fn.wall / pair.base.wall)),
        largest: entry.largest,
        ...(entry.without.length ? { without: entry.without } : {}),
      };
    }),
  };
}
