import { writeFileSync } from 'node:fs';
import { startTestCloud, type TestCloud } from '../../support/test-cloud.ts';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../local/cloud.ts';
import { ensurePortalBuilt } from '../../../local/portal.ts';
import { type PortalApi, signedInApi } from '../../support/portal-api.ts';
import { monthlyProjectBody, transactionBody } from '../api/support.ts';
import { camt053 } from '../../support/camt053.ts';
import { checkPage, openBrowser, signIn, type BrowserSession } from './browser.ts';

/**
 * The bank statement screens in a browser: upload a CAMT.053 file, read the match report, confirm a proposal,
 * assign an unmatched entry; the payment reference on the invoice page; in English and Dutch, axe-clean.
 */
let cloud: LocalCloud;
let testCloud: TestCloud | undefined;

const call = signedInApi(() => cloud);
/** A call that must succeed (the data this test makes). */
const api: PortalApi = async (...args) => {
  const answer = await call(...args);
  expect(answer.status, `${args[0]} ${args[1]}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer;
};

async function sentInvoice(name: string) {
  const suffix = randomUUID().slice(0, 8);
  await api('POST', '/customers', 'admin', {
    id: `c-${suffix}`,
    name,
    postalAddress: { lines: ['Straat 1'], postalCode: '1000 AA', city: 'Amsterdam', subdivision: null, country: 'NL' },
    email: `f-${suffix}@example.com`,
    taxId: null,
    language: 'nl',
  });
  await api('POST', '/projects', 'admin', monthlyProjectBody(suffix, `Project ${name}`));
  await api('POST', '/transactions', 'admin', transactionBody(`p-${suffix}`, `t-${suffix}`, '2026-10-01'));
  const preview = await api('POST', `/projects/p-${suffix}/invoice-preview`, 'billing', { cutOff: '2026-10-31' });
  const draft = await api('POST', `/projects/p-${suffix}/invoices`, 'billing', { token: preview.body.token });
  await api('POST', `/invoices/${draft.body.id}/send`, 'billing', undefined, draft.etag ?? undefined);
  return (await api('GET', `/invoices/${draft.body.id}`, 'viewer')).body as {
    id: string;
    number: string;
    paymentReference: string;
    totals: { total: number };
  };
}

beforeAll(async () => {
  await ensurePortalBuilt();
  testCloud = await startTestCloud('portal-bank', {
    inMemory: true,
    servePortal: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0, portal: 0 },
  });
  cloud = testCloud.cloud;
}, 180_000);

afterAll(async () => {
  await testCloud?.stop();
});

describe('bank statements in the portal', () => {
  it('billing uploads a statement, reads the match report, confirms a proposal and assigns an entry (en, nl)', async () => {
    const paid = await sentInvoice('Rederij Noord BV');
    const proposed = await sentInvoice('Bakkerij Zuid BV');
    const assigned = await sentInvoice('Tuinen Oost BV');
    const euros = (minor: number) => (minor / 100).toFixed(2);
    const file = path.join(testCloud?.dataDir as string, 'statement.xml');
    writeFileSync(
      file,
      camt053({
        version: 2,
        statementId: 'AFSCHRIFT-2026-11-30',
        entries: [
          {
            amount: euros(paid.totals.total),
            structuredReference: paid.paymentReference,
            debtorName: 'Rederij Noord BV',
          },
          { amount: euros(proposed.totals.total), debtorName: 'BAKKERIJ ZUID BV', unstructured: 'november' },
          { amount: euros(assigned.totals.total), debtorName: 'T. Oost', unstructured: 'zie mail' },
          { amount: '45.00', direction: 'DBIT', unstructured: 'bankkosten' },
        ],
      }),
    );

    const browser: BrowserSession = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, cloud.urls.portal as string, 'billing');
      await page.getByRole('link', { name: 'Bank statements' }).click();
      await page.getByRole('heading', { level: 1, name: 'Bank statements' }).waitFor();
      await page.getByText('No statements imported yet.').waitFor();
      await checkPage(page, 'bank-01-upload');
      await page.getByLabel('Statement file (XML)').setInputFiles(file);
      await page.getByRole('button', { name: 'Import' }).click();

      await page.getByRole('heading', { level: 1, name: 'Match report' }).waitFor();
      await expect.poll(() => page.getByTestId('outcome-1').textContent()).toBe('Paid');
      expect(await page.getByTestId('outcome-2').textContent()).toBe('Proposed');
      expect(await page.getByTestId('outcome-3').textContent()).toBe('Unmatched');
      expect(await page.getByTestId('outcome-4').textContent()).toBe('Ignored (debit)');
      await page.getByRole('combobox', { name: 'Invoice for entry 3' }).waitFor();
      await checkPage(page, 'bank-02-report');

      await page.getByRole('button', { name: `Confirm ${proposed.number}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Entry 2 is now applied to ${proposed.number}.` })
        .waitFor();
      expect(await page.getByTestId('outcome-2').textContent()).toBe('Assigned');
      await page.getByRole('combobox', { name: 'Invoice for entry 3' }).selectOption(assigned.id);
      await page.getByRole('button', { name: 'Assign' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Entry 3 is now applied to ${assigned.number}.` })
        .waitFor();
      expect(await page.getByTestId('outcome-3').textContent()).toBe('Assigned');
      await checkPage(page, 'bank-03-assigned');
      for (const invoice of [paid, proposed, assigned])
        expect((await api('GET', `/invoices/${invoice.id}`, 'viewer')).body.status).toBe('paid');

      // The invoice page shows the payment reference.
      await page.getByRole('link', { name: paid.number }).click();
      await expect.poll(() => page.getByTestId('payment-reference').textContent()).toBe(paid.paymentReference);

      // Dutch: the list and the report.
      await page.getByLabel('Language').selectOption('nl');
      await page.getByRole('link', { name: 'Bankafschriften' }).click();
      await page.getByRole('heading', { level: 1, name: 'Bankafschriften' }).waitFor();
      await page.getByRole('link', { name: /Koppelrapport van AFSCHRIFT-2026-11-30/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Koppelrapport' }).waitFor();
      await expect.poll(() => page.getByTestId('outcome-1').textContent()).toBe('Betaald');
      expect(await page.getByTestId('outcome-4').textContent()).toBe('Genegeerd (afschrijving)');
      await checkPage(page, 'bank-04-report-nl');

      // The same file again: nothing changes, the page says so.
      await page.getByRole('link', { name: 'Alle bankafschriften' }).click();
      await page.getByLabel('Afschriftbestand (XML)').setInputFiles(file);
      await page.getByRole('button', { name: 'Importeren' }).click();
      await page.getByRole('status').filter({ hasText: 'Dit afschrift is al eerder geïmporteerd' }).waitFor();
    } finally {
      await browser.close();
    }
  }, 180_000);
});
