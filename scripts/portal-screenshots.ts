import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies the README's portal screenshots from the last run of the working-day browser test
 * (test-results/portal-day/, written by test/integration/portal/working-day.test.ts) into docs/.
 * Run it after that test: `npm run docs:screenshots`.
 */
const root = path.resolve(import.meta.dirname, '..');
const from = path.join(root, 'test-results/portal-day');
const shots: Record<string, string> = {
  '02-customer-form-en.png': 'portal-customer.png',
  '03-project-form-en.png': 'portal-project-frequency.png',
  '04-import-refused-en.png': 'portal-import.png',
  '05-transaction-edit-en.png': 'portal-transaction-edit.png',
  '05-work-reserved-en.png': 'portal-work-reserved.png',
  '05-draft-en.png': 'portal-draft.png',
  '07-approved-en.png': 'portal-approved.png',
  '09-credit-dialog-en.png': 'portal-credit.png',
  '10-issued-en.png': 'portal-issued.png',
  '12-bulk-sent-en.png': 'portal-bulk-send.png',
  '13-run-date-drafts-en.png': 'portal-run-date.png',
};
const missing = Object.keys(shots).filter((name) => !existsSync(path.join(from, name)));
if (missing.length > 0) {
  console.error(`missing in ${from} (run the working-day browser test first): ${missing.join(', ')}`);
  process.exit(1);
}
for (const [name, target] of Object.entries(shots))
  copyFileSync(path.join(from, name), path.join(root, 'docs', target));
console.log(`copied ${Object.keys(shots).length} screenshots to docs/`);
