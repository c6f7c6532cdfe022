import type { BundleResult } from './bundles.ts';
import { round } from './lib.ts';

/** One line of the bench table: what was measured, its value, the target and whether it is met (and why not). */
export interface Line {
  readonly measure: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean;
  readonly reason?: string;
}

const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;
const MAX_BYTES = 500 * 1024;
const MAX_IMPORT_RATIO = 1.5;

/**
 * Issue 15, point 4: the functions behind a button or a page are the API's (the route table); the workflow Tasks
 * (the outbox that renders, archives and e-mails; the invoice run) are where nobody waits, reported beside them.
 * The bundle line (size) and the import line (CPU time of the import against the DynamoDB-only bundle).
 */
export function bundleLines(bundles: BundleResult): Line[] {
  const facing = bundles.functions.filter((entry) => entry.userFacing);
  const behind = bundles.functions.filter((entry) => !entry.userFacing);
  const heaviestBehind = behind.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const tooBig = facing.filter((entry) => entry.bytes > MAX_BYTES);
  const largest = facing.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slow = facing.filter((entry) => entry.importRatio > MAX_IMPORT_RATIO);
  const slowest = facing.reduce((a, b) => (b.importRatio > a.importRatio ? b : a));
  const send = facing.find((entry) => entry.handler === 'api/invoice-sending');
  return [
    {
      measure: `bundles: ${facing.length} user-facing (API) functions, largest ${largest.handler} ${kb(largest.bytes)} (baseline ${kb(bundles.baseline.bytes)}); where nobody waits: ${heaviestBehind.handler} ${kb(heaviestBehind.bytes)}`,
      value: tooBig.length ? `${tooBig.length} over 500 KB` : 'all <= 500 KB',
      target: 'each user-facing <= 500 KB',
      met: tooBig.length === 0,
      reason: tooBig
        .map(
          (entry) =>
            `${entry.handler} ${kb(entry.bytes)} (${entry.largest.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}` +
            `${(entry.without ?? []).map((w) => `; without ${w.packages.join(' + ')}: ${kb(w.bytes)}`).join('')})`,
        )
        .join('; '),
    },
    {
      measure:
        `import CPU time (median of ${bundles.reps} paired, interleaved fresh-process imports): baseline ${round(bundles.baseline.cpuMillis, 0)} ms, ` +
        `slowest user-facing ${slowest.handler} ${round(slowest.cpuMillis, 0)} ms ${round(slowest.importRatio)}x (quartiles ${slowest.importRatioQuartiles.map((q) => round(q)).join('-')}x); ` +
        `Send (api/invoice-sending) ${round(send?.importRatio ?? Number.NaN)}x`,
      value: `max ${round(slowest.importRatio)}x`,
      target: `each user-facing <= ${MAX_IMPORT_RATIO}x`,
      met: slow.length === 0,
      reason: `${slow.map((entry) => `${entry.handler} ${round(entry.importRatio)}x (${kb(entry.bytes)}; ${entry.largest.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')})`).join(', ')}: import time follows the bytes V8 parses and the top-level code it runs. The baseline is bundled as every function is (the Lambda credential provider, no default chain), so the ratio is what a function adds to a bare DynamoDB client`,
    },
  ];
}

/** Every user-facing function's size and import ratio against the targets, one row each (and the others below). */
export function bundleTable(bundles: BundleResult): string[] {
  const row = (entry: BundleResult['functions'][number]) => {
    const judged = entry.userFacing
      ? entry.bytes <= MAX_BYTES && entry.importRatio <= MAX_IMPORT_RATIO
        ? 'met'
        : 'NOT met'
      : 'not judged';
    return `| ${entry.handler} | ${kb(entry.bytes)} | ${round(entry.cpuMillis, 0)} ms | ${round(entry.importRatio)}x | ${entry.importRatioQuartiles.map((q) => round(q)).join('-')}x | ${round(entry.wallRatio)}x | ${entry.rounds} | ${judged} |`;
  };
  return [
    `Baseline (only @aws-sdk/client-dynamodb): ${kb(bundles.baseline.bytes)}, import ${round(bundles.baseline.cpuMillis, 0)} ms CPU (${round(bundles.baseline.wallMillis, 0)} ms wall-clock). Targets for user-facing functions: <= 500 KB, <= ${MAX_IMPORT_RATIO}x the baseline's import CPU time.`,
    '',
    '| function | size | import CPU | ratio (median) | quartiles | wall-clock ratio | rounds | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...bundles.functions.filter((entry) => entry.userFacing).map(row),
    ...bundles.functions.filter((entry) => !entry.userFacing).map(row),
  ];
}
