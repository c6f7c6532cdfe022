import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Small helpers shared by the bench steps: statistics, child processes, formatting. */
export const repositoryRoot = path.resolve(import.meta.dirname, '..');

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * Runs one bench step (a .ts file under bench/) in a fresh Node process under tsx, so every step starts clean
 * (module-scope clients, heap, peak RSS). The step writes its JSON result to the file named by --out.
 */
export async function runStep<T>(
  file: string,
  args: readonly string[],
  options: { log?: (line: string) => void; timeoutMillis?: number } = {},
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'factuur-bench-'));
  const out = path.join(dir, 'result.json');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(repositoryRoot, 'bench', file), ...args, '--out', out],
        {
          cwd: repositoryRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
        },
      );
      const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMillis ?? 60 * 60_000);
      let stderr = '';
      const forward = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) options.log?.(line);
      };
      child.stdout.on('data', forward);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`bench/${file} ${args.join(' ')} ended with ${signal ?? code}: ${stderr.trim()}`));
      });
    });
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--name value` of a bench step's command line. */
export function argument(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
