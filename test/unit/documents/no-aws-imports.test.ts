import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../../functions/documents/', import.meta.url));
const FORBIDDEN =
  /\bfrom\s*['"](@aws-sdk\/[^'"]*|aws-sdk|@aws-lambda-powertools\/[^'"]*|@middy\/[^'"]*|aws-cdk-lib[^'"]*)['"]|\bimport\s*\(\s*['"](@aws-sdk|aws-sdk|@middy)/;

describe('functions/documents stays pure of AWS', () => {
  it('imports no AWS SDK, Powertools, middy or CDK module', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(readFileSync(DIR + f, 'utf8'), f).not.toMatch(FORBIDDEN);
  });
});
