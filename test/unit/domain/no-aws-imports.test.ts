import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DOMAIN_DIR = fileURLToPath(new URL('../../../functions/domain/', import.meta.url));

const FORBIDDEN = [
  /^@aws-sdk(\/|$)/,
  /^aws-sdk(\/|$)/,
  /^@aws-lambda-powertools(\/|$)/,
  /^@middy(\/|$)/,
  /^aws-cdk-lib(\/|$)/,
  /^(node:)?(fs|net|http|https|http2|dgram|child_process)(\/|$)/,
];

/** Module specifiers of static imports/exports, dynamic imports and require calls. */
const SPECIFIER =
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function importedModules(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

function forbiddenImports(source: string): string[] {
  return importedModules(source).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
}

function domainFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return domainFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('functions/domain stays pure', () => {
  it('the scanner finds forbidden imports of every form', () => {
    const sample = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      'import type { Logger } from "@aws-lambda-powertools/logger";',
      "import middy from '@middy/core';",
      "export { Stack } from 'aws-cdk-lib';",
      "import 'aws-sdk';",
      "const fs = await import('node:fs');",
      "const net = require('net');",
      "import {\n  request,\n} from 'node:http';",
      "import Big from 'big.js';",
      "import { x } from './money.ts';",
    ].join('\n');
    expect(forbiddenImports(sample)).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-lambda-powertools/logger',
      '@middy/core',
      'aws-cdk-lib',
      'aws-sdk',
      'node:fs',
      'net',
      'node:http',
    ]);
  });

  it('no domain file imports AWS, middleware or I/O modules', () => {
    const files = domainFiles(DOMAIN_DIR);
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((f) => f.endsWith('index.ts'))).toBe(true);
    const offenders = files.flatMap((f) =>
      forbiddenImports(readFileSync(f, 'utf8')).map((spec) => `${relative(DOMAIN_DIR, f)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
