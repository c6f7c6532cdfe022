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

/**
 * The folders that are not feature folders: the kernel (domain, documents), the edge (api, handlers), adapters and
 * shared platform code. Every other folder of functions/ is a feature folder (use cases and the ports they own),
 * so a new feature is checked without being listed.
 */
const NOT_FEATURES = new Set(['adapters', 'api', 'documents', 'domain', 'handlers', 'shared']);
const FEATURE_FOLDERS = readdirSync(FUNCTIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !NOT_FEATURES.has(entry.name))
  .map((entry) => entry.name);

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

  it('no use case imports the AWS SDK, an adapter module, a handler or the HTTP layer', () => {
    expect(FEATURE_FOLDERS).toEqual(
      expect.arrayContaining([
        'invoices',
        'invoice-runs',
        'manual-invoicing',
        'payments',
        'reminders',
        'sending',
        'setup',
      ]),
    );
    const checked = FEATURE_FOLDERS.flatMap((path) => files(join(FUNCTIONS, path)));
    expect(checked.length).toBeGreaterThan(30);
    const offences = checked.flatMap((file) =>
      useCaseOffences(readFileSync(file, 'utf8')).map((spec) => `${relative(FUNCTIONS, file)}: ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('no adapter imports a domain command', () => {
    const offences = files(join(FUNCTIONS, 'adapters')).flatMap((file) =>
      commandImports(readFileSync(file, 'utf8')).map((name) => `${relative(FUNCTIONS, file)}: ${name}`),
    );
    expect(offences).toEqual([]);
  });
});
