import { rmSync } from 'node:fs';
import { startTestCloud, type TestCloud } from '../../support/test-cloud.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../local/cloud.ts';
import { ensurePortalBuilt } from '../../../local/portal.ts';
import { signedInApi } from '../../support/portal-api.ts';
import { monthlyProjectBody, transactionBody } from '../api/support.ts';
import {
  checkPage,
  expectNoAxeViolations,
  openBrowser,
  screenshot,
  screenshotDir,
  signIn,
  type BrowserSession,
} from './browser.ts';

/**
 * The portal in a browser (Debian chromium via playwright-core) against its own local cloud, which serves the
 * built portal with a /config.json pointing at this cloud's API and issuer. Test data is made through the API
 * (as admin) and, where the API has no route yet, through the stores. axe-core runs on every page.
 */
let cloud: LocalCloud;
let testCloud: TestCloud | undefined;

const api = signedInApi(() => cloud);

/** A customer and a monthly project with transactions of 2.5 h x 100.00 (EUR 250.00 net each), through the API. */
async function givenProject(name: string, transactionDates: string[]) {
  const suffix = randomUUID().slice(0, 8);
  const customer = await api('POST', '/customers', 'admin', {
    id: `c-${suffix}`,
    name: `${name} BV`,
    postalAddress: { lines: ['Straat 1'], postalCode: '1000 AA', city: 'Amsterdam', subdivision: null, country: 'NL' },
    email: `facturen-${suffix}@example.com`,
    taxId: null,
    language: 'nl',
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const project = await api('POST', '/projects', 'admin', monthlyProjectBody(suffix, name));
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  for (const [index, date] of transactionDates.entries()) {
    const created = await api(
      'POST',
      '/transactions',
      'admin',
      transactionBody(`p-${suffix}`, `t-${suffix}-${index}`, date, { description: `Advieswerk ${index + 1}` }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  return { projectId: `p-${suffix}`, customerId: `c-${suffix}`, email: `facturen-${suffix}@example.com`, name };
}

async function givenDraft(projectId: string) {
  const preview = await api('POST', `/projects/${projectId}/invoice-preview`, 'billing', { cutOff: '2026-10-31' });
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  const created = await api('POST', `/projects/${projectId}/invoices`, 'billing', { token: preview.body.token });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; version: number };
}

beforeAll(async () => {
  rmSync(screenshotDir, { recursive: true, force: true }); // this run's screenshots only
  await ensurePortalBuilt();
  testCloud = await startTestCloud('portal-test', {
    inMemory: true,
    servePortal: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0, portal: 0 },
  });
  cloud = testCloud.cloud;
}, 180_000);

afterAll(async () => {
  await testCloud?.stop();
});

describe('portal in the browser', () => {
  it('serves the app and a /config.json pointing at this cloud', async () => {
    const config = (await (await fetch(`${cloud.urls.portal}/config.json`)).json()) as Record<string, string>;
    expect(config).toMatchObject({ apiUrl: cloud.urls.api, issuer: cloud.urls.oidc, clientId: 'factuur-portal' });
    const index = await fetch(`${cloud.urls.portal}/invoices/deep/link`);
    expect(await index.text()).toContain('<div id="root">');
  });

  it('billing: sign in, open a draft, change a quantity, Recalculate, 412 offers reload, Send (confirmation names the recipient; the e-mail arrives), View PDF, Mark as paid, reverse a payment, invoice a project manually', async () => {
    const review = await givenProject('Datalab Zaanstad', ['2026-10-01', '2026-10-02', '2026-10-03']);
    const draft = await givenDraft(review.projectId);
    const manual = await givenProject('Museum Utrecht', ['2026-10-10', '2026-10-11', '2026-11-20']);

    const browser: BrowserSession = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, cloud.urls.portal as string, 'billing', { checkSignInPage: true });

      // The list, filtered by project
      await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
      await page.getByRole('table', { name: 'Invoices, newest first' }).waitFor();
      await checkPage(page, '02-invoices');
      await page.getByLabel('Project').selectOption({ label: review.name });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect
        .poll(() => page.getByRole('table', { name: 'Invoices, newest first' }).getByRole('row').count())
        .toBe(2);
      await page.locator(`a[href="#/invoices/${encodeURIComponent(draft.id)}"]`).click();

      // The draft: 3 x EUR 250.00 net, 21 % VAT
      await page.getByRole('heading', { level: 1, name: `Draft ${draft.id}` }).waitFor();
      await expect.poll(() => page.getByTestId('invoice-total').textContent()).toBe('€907.50');
      await page.getByRole('table', { name: /Details 1–3 of 3/ }).waitFor();
      await checkPage(page, '03-draft');

      await page.getByRole('button', { name: 'Edit detail 1' }).click();
      await page.getByRole('textbox', { name: 'Quantity' }).fill('1');
      await expectNoAxeViolations(page, 'draft, editing a detail');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved. Total €726.00.' }).waitFor();
      await page.getByRole('button', { name: 'Recalculate' }).click();
      await page.getByRole('status').filter({ hasText: 'Recalculated. Total €726.00.' }).waitFor();
      expect(await page.getByTestId('invoice-total').textContent()).toBe('€726.00');
      // history: who changed what
      const history = page.getByRole('table', { name: 'Changes, oldest first' });
      await expect
        .poll(() => history.getByRole('row').filter({ hasText: 'editDetail' }).textContent())
        .toMatch(/billing.*detail\.quantity: "2\.5" → "1"/);
      await checkPage(page, '04-draft-edited');

      // Dutch: the same page, amounts and labels per locale
      await page.getByLabel('Language').selectOption('nl');
      await page.getByRole('heading', { level: 2, name: 'Geschiedenis' }).waitFor();
      expect(await page.getByTestId('invoice-total').textContent()).toMatch(/^€\s726,00$/); // nl-NL: a no-break space
      await checkPage(page, '05-draft-nl');
      await page.getByLabel('Taal').selectOption('en');

      // Someone else changes the draft: the portal says so and offers a reload instead of overwriting
      const current = (await api('GET', `/invoices/${draft.id}`, 'viewer')).body.version as number;
      const elsewhere = await api(
        'PATCH',
        `/invoices/${draft.id}/details/${encodeURIComponent(`t:t-${review.projectId.slice(2)}-1`)}`,
        'billing',
        { description: 'Changed elsewhere' },
        current,
      );
      expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
      await page.getByRole('button', { name: 'Edit detail 3' }).click();
      await page.getByRole('textbox', { name: 'Quantity' }).fill('2');
      await page.getByRole('button', { name: 'Save' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: `Someone else changed this invoice (now version ${current + 1})` })
        .waitFor();
      await checkPage(page, '06-conflict');
      await page.getByRole('button', { name: 'Reload invoice' }).click();
      await page.getByRole('cell', { name: 'Changed elsewhere', exact: true }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(await page.getByTestId('invoice-total').textContent()).toBe('€726.00');

      // Send to customer: the confirmation shows the recipient
      await page.getByRole('button', { name: 'Send to customer' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send invoice to customer' });
      await dialog.getByText(review.email).waitFor();
      await checkPage(page, '07-send-confirmation');
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `to ${review.email}` })
        .waitFor();
      await page.getByRole('heading', { level: 1, name: /^Invoice INV-\d{4}-\d{6}$/ }).waitFor();
      const number = (await page.getByRole('heading', { level: 1 }).textContent())?.replace('Invoice ', '');
      // the e-mail, once, in the local inbox
      await expect
        .poll(
          async () => {
            const store = (await (await fetch(`${cloud.urls.ses}/store`)).json()) as {
              emails: { subject: string; destination: { to: string[] } }[];
            };
            return store.emails.filter(
              (email) => email.destination.to.includes(review.email) && email.subject.includes(number ?? '?'),
            ).length;
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      await checkPage(page, '08-sent');

      // View PDF: fetched with the bearer token, opened as a blob URL
      const popup = page.context().waitForEvent('page');
      await page.getByRole('button', { name: 'View PDF' }).click();
      const pdf = await popup;
      expect(pdf.url()).toMatch(/^blob:/);
      await pdf.close();
      await page.getByRole('link', { name: 'Open the PDF' }).waitFor();

      // Mark as paid on the sent invoice: partial, then the rest (the amount defaults to the balance)
      const [total, afterPartial] = ['€726.00', '€625.50'];
      await page.getByRole('heading', { level: 1, name: /^Invoice INV-\d{4}-\d{6}$/ }).waitFor();
      await expect.poll(() => page.getByTestId('invoice-balance').textContent()).toBe(total);
      await checkPage(page, '09-issued');
      await page.getByLabel('Amount (EUR)').fill('100,50');
      await page.getByRole('button', { name: 'Record payment' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Payment recorded. Balance ${afterPartial}.` })
        .waitFor();
      await page.getByText('Partially paid', { exact: true }).first().waitFor();
      await expect.poll(() => page.getByLabel('Amount (EUR)').inputValue()).toBe(afterPartial.slice(1));
      await page.getByRole('button', { name: 'Record payment' }).click();
      await page.getByRole('status').filter({ hasText: 'Payment recorded. Balance €0.00.' }).waitFor();
      await page.getByText('Paid', { exact: true }).first().waitFor();
      await checkPage(page, '10-paid');
      // the second payment bounced: reverse it with a reason; the invoice is partially paid again
      await page.getByRole('button', { name: /^Reverse the payment .* · €625\.50$/ }).click();
      const reversal = page.getByRole('form', { name: /^Reverse the payment .* · €625\.50$/ });
      await reversal.getByLabel('Why (e.g. bounced)').fill('Gestorneerd');
      await checkPage(page, '10-reverse-payment');
      await page.locator('header.top').getByLabel('Language').selectOption('nl');
      await page.getByLabel('Waarom (bijv. gestorneerd)').waitFor();
      await checkPage(page, '10-reverse-payment-nl');
      await page.locator('header.top').getByLabel('Taal').selectOption('en');
      await reversal.getByRole('button', { name: 'Reverse payment' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Payment reversed. Balance ${afterPartial}.` })
        .waitFor();
      await page.getByText('Partially paid', { exact: true }).first().waitFor();
      await page.getByText(/€625\.50 · .*\(reversed\)/).waitFor();

      // Invoice a project manually: choose, Next (preview with exclusions), Finish (opens the draft)
      await page.getByRole('link', { name: 'Invoice a project' }).click();
      await page.getByRole('heading', { level: 1, name: 'Invoice a project' }).waitFor();
      await page.getByLabel('Project').selectOption({ label: `${manual.name} (${manual.name} BV)` });
      await page.getByLabel('Cut-off').fill('2026-10-31');
      await page.getByLabel('Organisational unit (optional)').fill('advies');
      await checkPage(page, '11-manual-choose');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { level: 2, name: /^Preview: Museum Utrecht/ }).waitFor();
      expect(await page.getByTestId('preview-total').textContent()).toBe('€605.00');
      await page
        .getByRole('table', { name: 'Excluded items with their reason' })
        .getByRole('cell', { name: 'After the cut-off' })
        .waitFor();
      await checkPage(page, '12-manual-preview');
      await page.getByRole('button', { name: 'Finish' }).click();
      await page.getByRole('heading', { level: 1, name: /^Draft / }).waitFor();
      expect(page.url()).toMatch(/#\/invoices\//);
      await expect.poll(() => page.getByTestId('invoice-total').textContent()).toBe('€605.00');
      await checkPage(page, '13-manual-draft');
      const drafts = await api('GET', `/invoices?projectId=${manual.projectId}`, 'viewer');
      expect(drafts.body.items.map((invoice: { status: string }) => invoice.status)).toEqual(['draft']);
    } catch (error) {
      await screenshot(page, 'failure-billing').catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  }, 240_000);

  it('operator: sees a failed run with error and step, restarts it and follows its progress', async () => {
    const failing = await givenProject('Provincie Flevoland', ['2026-10-12']);
    const runDate = '2026-11-01';
    const { claimRun, failRun } = await import('../../../functions/adapters/dynamodb/run-claims.ts');
    await claimRun(failing.projectId, runDate, '2026-10-31', 'arn:exec:portal-test-1', new Date().toISOString());
    await failRun(failing.projectId, runDate, '2026-10-31', {
      error: 'InjectedBug',
      cause: 'the portal test broke it',
      state: 'InvoiceProject',
      executionId: 'arn:exec:portal-test-1',
      at: new Date().toISOString(),
    });

    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, cloud.urls.portal as string, 'operator');
      expect(await page.getByRole('link', { name: 'Invoice a project' }).count()).toBe(0);
      await checkPage(page, '14-operator-invoices');
      // The counts of today answer late (as on a slow network): they must not replace those of the date shown after
      await page.route(
        (url) => url.pathname.endsWith('/runs') && url.searchParams.get('runDate') !== runDate,
        async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await route.continue().catch(() => undefined);
        },
      );
      await page.getByRole('link', { name: 'Invoice runs' }).click();
      await page.getByLabel('Run date').fill(runDate);
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await expect.poll(() => page.getByTestId('count-failed').textContent()).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await page.getByTestId('count-failed').textContent()).toBe('1');
      const row = page
        .getByRole('table', { name: 'Failed runs, newest run date first' })
        .getByRole('row')
        .filter({ hasText: failing.name });
      await row.getByText('InjectedBug').waitFor();
      await row.getByRole('cell', { name: 'InvoiceProject' }).waitFor();
      await checkPage(page, '15-runs-failed');
      await row.getByRole('button', { name: /^Restart Provincie Flevoland/ }).click();
      await page.getByRole('status').filter({ hasText: 'Restarted 1 run(s)' }).waitFor();
      await expect
        .poll(() => page.getByTestId('run-progress').textContent(), { timeout: 60_000 })
        .toMatch(/Provincie Flevoland .*: Invoiced/);
      await expect.poll(() => page.getByTestId('count-invoiced').textContent()).toBe('1');
      expect(await page.getByTestId('count-failed').textContent()).toBe('0');
      await checkPage(page, '16-runs-restarted');
      const invoices = await api('GET', `/invoices?projectId=${failing.projectId}`, 'viewer');
      expect(invoices.body.items).toHaveLength(1);

      // The draft the restarted run made: an operator reads it, but is offered no invoice work
      await page.goto(`${cloud.urls.portal}/#/invoices/${encodeURIComponent(invoices.body.items[0].id)}`);
      await page.getByRole('heading', { level: 1, name: /^Draft / }).waitFor();
      await page.getByText('Read only: your role may not change invoices.').waitFor();
      for (const name of ['Recalculate', 'Send to customer', 'Edit detail 1'])
        expect(await page.getByRole('button', { name }).count()).toBe(0);
      await checkPage(page, '17-operator-draft-read-only');
    } catch (error) {
      await screenshot(page, 'failure-operator').catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  }, 180_000);
});
