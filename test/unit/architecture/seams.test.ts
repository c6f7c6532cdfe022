import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as creditNote from '../../../functions/domain/commands/credit-note.ts';
import * as edit from '../../../functions/domain/commands/edit.ts';
import * as payments from '../../../functions/domain/commands/payments.ts';
import * as review from '../../../functions/domain/commands/review.ts';
import * as send from '../../../functions/domain/commands/send.ts';

/**
 * The seams of functions/ (functions/domain/README.md): use cases depend on their ports only (no AWS SDK, no
 * adapter, no HTTP: errors become problems at the edge); adapters apply effects and never run a domain command.
 */
const FUNCTIONS = fileURLToPath(new URL('../../../functions/', import.meta.url));

/** Use cases behind ports: every file here must keep the rules. */
// biome-ignore format: one entry per line, so that merges of the branches adding folders are easy
const USE_CASES = [
  'invoices',
  'payments',
  'reminders',
  'setup',
  'manual-invoicing',
  'invoice-runs',
  'sending',
];

/** Adapters that still run a domain command themselves: none left (the list must match exactly, so it stays empty). */
const ADAPTERS_STILL_RUNNING_COMMANDS: string[] = [];

/** Every folder of use cases: none imports the HTTP layer (errors become problems at the edge only). */
const ALL_USE_CASES = ['invoices', 'manual-invoicing', 'payments', 'reminders', 'setup', 'invoice-runs', 'sending'];
/** Still throwing HTTP problems themselves: none left (the list must match exactly, so it stays empty). */
const USE_CASES_STILL_THROWING_HTTP: string[] = [];

const COMMANDS = new Set(
  [review, edit, send, payments, creditNote].flatMap((module) =>
    Object.entries(module)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name),
  ),
);

const SPECIFIER =
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
const NAMED = /\bimport\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

function files(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(path, entry.name)) : entry.name.endsWith('.ts') ? [join(path, entry.name)] : [],
  );
}

function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function useCaseOffences(source: string): string[] {
  return specifiers(source).filter(
    (spec) =>
      /^@aws-sdk\//.test(spec) || /(^|\/)(adapters|handlers)\//.test(spec) || /shared\/(http\/|http-api)/.test(spec),
  );
}

/** Domain commands imported (by value) from the domain. */
function commandImports(source: string): string[] {
  return [...source.matchAll(NAMED)]
    .filter((m) => /(^|\/)domain\//.test(m[2] ?? '') && !/^\s*import\s*type\b/.test(m[0]))
    .flatMap((m) =>
      (m[1] ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '))
        .map((name) => name.split(/\s+as\s+/)[0] as string)
        .filter((name) => COMMANDS.has(name)),
    );
}

describe('the seams between use cases, adapters and the edge', () => {
  it('the scanners find what they look for', () => {
    expect(
      useCaseOffences(
        [
          "import { GetCommand } from '@aws-sdk/lib-dynamodb';",
          "import { x } from '../../adapters/dynamodb/keys.ts';",
          "import { bound } from '../handlers/wiring/sending.ts';",
          "import { notFound } from '../../shared/http-api.ts';",
          "import { badRequest } from '../shared/http/problems.ts';",
          "import { NotFound } from '../../shared/errors.ts';",
          "import type { InvoicePorts } from '../ports.ts';",
        ].join('\n'),
      ),
    ).toEqual([
      '@aws-sdk/lib-dynamodb',
      '../../adapters/dynamodb/keys.ts',
      '../handlers/wiring/sending.ts',
      '../../shared/http-api.ts',
      '../shared/http/problems.ts',
    ]);
    expect(COMMANDS).toContain('creditNote');
    expect(COMMANDS).toContain('editDetail');
    expect(
      commandImports(
        "import {\n  send,\n  summarizeDetails,\n  type Invoice,\n  editDetail as edit,\n} from '../../domain/index.ts';\nimport type { recalculate } from '../../domain/index.ts';",
      ),
    ).toEqual(['send', 'editDetail']);
  });

  it('no use case imports the AWS SDK, an adapter module or the HTTP layer', () => {
    const checked = USE_CASES.flatMap((path) => files(join(FUNCTIONS, path)));
    expect(checked.length).toBeGreaterThan(5);
    const offences = checked.flatMap((file) =>
      useCaseOffences(readFileSync(file, 'utf8')).map((spec) => `${relative(FUNCTIONS, file)}: ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('no use case of any folder imports the HTTP layer (except the listed ones still to move)', () => {
    const offences = ALL_USE_CASES.flatMap((path) => files(join(FUNCTIONS, path))).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((spec) => /shared\/(http\/|http-api)/.test(spec))
        .map((spec) => `${relative(FUNCTIONS, file)}: ${spec}`),
    );
    expect(offences.sort()).toEqual(USE_CASES_STILL_THROWING_HTTP);
  });

  it('no adapter imports a domain command (except the listed ones still to move)', () => {
    const offences = files(join(FUNCTIONS, 'adapters')).flatMap((file) =>
      commandImports(readFileSync(file, 'utf8')).map((name) => `${relative(FUNCTIONS, file)}: ${name}`),
    );
    expect(offences.sort()).toEqual(ADAPTERS_STILL_RUNNING_COMMANDS);
  });
});
