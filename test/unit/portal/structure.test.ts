import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The portal stays made of small components: no page or component file over 250 lines. */
const root = path.resolve(import.meta.dirname, '../../../portal/src');

function components(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'strings' ? [] : components(full);
    // i18n.tsx is the two languages' message tables plus a small provider
    return entry.name.endsWith('.tsx') && entry.name !== 'i18n.tsx' ? [full] : [];
  });
}

describe('portal components', () => {
  it('are at most 250 lines each', () => {
    const files = components(root);
    expect(files.length).toBeGreaterThan(10);
    const long = files
      .map((file) => ({ file: path.relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter((entry) => entry.lines > 250);
    expect(long).toEqual([]);
  });
});
