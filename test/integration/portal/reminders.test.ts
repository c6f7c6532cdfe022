import { startTestCloud, type TestCloud } from '../../support/test-cloud.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../local/cloud.ts';
import { ensurePortalBuilt } from '../../../local/portal.ts';
import { signedInApi } from '../../support/portal-api.ts';
import { monthlyProjectBody, transactionBody } from '../api/support.ts';
import { checkPage, openBrowser, signIn, type BrowserSession } from './browser.ts';

/**
 * The reminder screens in a browser: the overdue list (days overdue, last reminder), an invoice's reminder history,
 * pause with a reason; in English and in Dutch, axe-core clean on every page. The overdue invoice is made as in
 * production (API, manual invoicing, Send on an earlier day) and the reminder run is the workflow.
 */
let cloud: LocalCloud;
let testCloud: TestCloud | undefined;

const api = signedInApi(() => cloud);

beforeAll(async () => {
  await ensurePortalBuilt();
  testCloud = await startTestCloud('portal-reminders', {
    inMemory: true,
    servePortal: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0, portal: 0 },
  });
  cloud = testCloud.cloud;
}, 180_000);

afterAll(async () => {
  await testCloud?.stop();
});

describe('reminder screens in the browser', () => {
  it('billing: the overdue list, the reminder history, pause with a reason; nl and en, axe-clean', async () => {
    const { addDays, todayInZone } = await import('../../../functions/domain/index.ts');
    const { sendToCustomer } = await import('../../../functions/handlers/wiring/sending.ts');
    const { startInvoiceRun, stepFunctionsClient, waitForExecution } = await import(
      '../../../local/invoice-run-client.ts'
    );
    const today = todayInZone(new Date(), 'Europe/Amsterdam');
    const suffix = randomUUID().slice(0, 8);
    expect(
      (
        await api('POST', '/customers', 'admin', {
          id: `c-${suffix}`,
          name: 'Museum Utrecht BV',
          postalAddress: {
            lines: ['Straat 1'],
            postalCode: '1000 AA',
            city: 'Amsterdam',
            subdivision: null,
            country: 'NL',
          },
          electronicAddress: { scheme: '0106', identifier: '12345678' },
          email: `facturen-${suffix}@example.com`,
          taxId: null,
          language: 'nl',
        })
      ).status,
    ).toBe(201);
    expect((await api('POST', '/projects', 'admin', monthlyProjectBody(suffix, 'Museum'))).status).toBe(201);
    const issuedOn = addDays(today, -38);
    expect(
      (
        await api(
          'POST',
          '/transactions',
          'admin',
          transactionBody(`p-${suffix}`, `t-${suffix}`, addDays(issuedOn, -3)),
        )
      ).status,
    ).toBe(201);
    const preview = await api('POST', `/projects/p-${suffix}/invoice-preview`, 'billing', {
      cutOff: addDays(issuedOn, -1),
    });
    const draft = await api('POST', `/projects/p-${suffix}/invoices`, 'billing', { token: preview.body.token });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const sent = await sendToCustomer(
      draft.body.id,
      draft.body.version,
      { username: 'billing', userId: 'test' },
      new Date(),
      issuedOn,
    );
    const number = sent.invoice.number as string;
    const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
    const run = await startInvoiceRun(sfn, cloud.stateMachineArn('reminder-run'), { date: today });
    expect((await waitForExecution(sfn, run, { timeoutMillis: 120_000 })).status).toBe('SUCCEEDED');

    const browser: BrowserSession = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, cloud.urls.portal as string, 'billing');
      await page.getByRole('link', { name: 'Overdue' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overdue invoices' }).waitFor();
      const row = page.getByTestId(`overdue-${sent.invoice.id}`);
      await row.waitFor();
      expect(await row.getByTestId('days-overdue').textContent()).toBe('8');
      expect(await row.getByTestId('last-reminder').textContent()).toMatch(/^level 1 on /);
      await checkPage(page, 'reminders-01-overdue-en');

      await page.getByRole('link', { name: `History ${number}` }).click();
      await page.getByRole('heading', { level: 1, name: `Reminders of ${number}` }).waitFor();
      await page.getByRole('table', { name: 'Reminders sent' }).waitFor();
      expect(await page.getByTestId('reminder-history').textContent()).toContain(`Herinnering: factuur ${number}`);
      await checkPage(page, 'reminders-02-history-en');

      await page.getByLabel('Reason').fill('Customer disputes the hours');
      await page.getByRole('button', { name: 'Pause reminders' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Reminders on ${number} are paused.` })
        .waitFor();
      expect(await page.getByTestId('paused-because').textContent()).toContain('Customer disputes the hours');
      await page.getByRole('button', { name: 'Resume reminders' }).waitFor();
      await checkPage(page, 'reminders-03-paused-en');

      // Dutch
      await page.getByLabel('Language').selectOption('nl');
      await page.getByRole('heading', { level: 1, name: `Herinneringen van ${number}` }).waitFor();
      await page.getByRole('button', { name: 'Herinneringen hervatten' }).waitFor();
      await checkPage(page, 'reminders-04-paused-nl');
      await page.getByRole('link', { name: 'Terug naar achterstallige facturen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Achterstallige facturen' }).waitFor();
      await expect.poll(() => row.getByTestId('last-reminder').textContent()).toMatch(/^niveau 1 op /);
      expect(await row.getByTestId('reminder-state').textContent()).toBe('gepauzeerd');
      await checkPage(page, 'reminders-05-overdue-nl');
    } finally {
      await browser.close();
    }
    // The pause reached the API: the next run sends nothing to it.
    const history = await api('GET', `/invoices/${sent.invoice.id}/reminders`, 'viewer');
    expect(history.body.paused).toMatchObject({ reason: 'Customer disputes the hours', by: 'billing' });
  }, 300_000);
});
