/**
 * The TrueType fonts embedded in the PDFs (pdfkit's standard-14 fonts are never embedded, so they are not used).
 * DejaVu Sans (Bitstream Vera licence: free to embed and redistribute), regular and bold, looked up in order:
 *   1. the directory in FACTUUR_FONT_DIR (e.g. fonts copied into the Lambda bundle);
 *   2. the npm package `dejavu-fonts-ttf` (its `ttf/` folder), when installed;
 *   3. Debian's `fonts-dejavu-core` (/usr/share/fonts/truetype/dejavu).
 * The same font files give the same PDF bytes; a different DejaVu release may change them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface PdfFonts {
  readonly regular: Buffer;
  readonly bold: Buffer;
}

const REGULAR = 'DejaVuSans.ttf';
const BOLD = 'DejaVuSans-Bold.ttf';
const DEBIAN_DIR = '/usr/share/fonts/truetype/dejavu';

function candidateDirs(): string[] {
  const dirs: string[] = [];
  const fromEnv = process.env.FACTUUR_FONT_DIR;
  if (fromEnv !== undefined && fromEnv !== '') dirs.push(fromEnv);
  try {
    const require = createRequire(import.meta.url);
    dirs.push(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // not installed
  }
  dirs.push(DEBIAN_DIR);
  return dirs;
}

let cached: PdfFonts | undefined;

/** Loads (once) the embedded fonts; throws naming the places it looked when none has both files. */
export function defaultFonts(): PdfFonts {
  if (cached !== undefined) return cached;
  const dirs = candidateDirs();
  for (const dir of dirs) {
    const regular = join(dir, REGULAR);
    const bold = join(dir, BOLD);
    if (existsSync(regular) && existsSync(bold)) {
      cached = { regular: readFileSync(regular), bold: readFileSync(bold) };
      return cached;
    }
  }
  throw new Error(
    `No ${REGULAR} / ${BOLD} found in ${dirs.join(', ')}: set FACTUUR_FONT_DIR, install the npm package dejavu-fonts-ttf, or apt-get install fonts-dejavu-core`,
  );
}
