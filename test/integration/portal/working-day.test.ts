import { mkdirSync, rmSync } from 'node:fs';
import { startTestCloud, type TestCloud } from '../../support/test-cloud.ts';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../local/cloud.ts';
import { ensurePortalBuilt } from '../../../local/portal.ts';
import { signedInApi } from '../../support/portal-api.ts';
import { startInvoiceRun, stepFunctionsClient, waitForExecution } from '../../../local/invoice-run-client.ts';
import { monthlyProjectBody, transactionBody } from '../api/support.ts';
import { expectNoAxeViolations, openBrowser, signIn, type BrowserSession } from './browser.ts';

/**
 * A billing team's working day in the browser, from an empty firm, on its own local cloud (review before sending is
 * switched on here, which no other test file may see): admin sets up a customer and a project with a monthly
 * frequency that started in the past (run dates visible before saving); the invoice run makes the draft of the
 * latest run date; billing edits the header (PO number), submits it, a second billing user approves, billing sends,
 * credits part of it, resends, and follows it in the delivery log and the history; then bulk sends two drafts.
 * axe-core on every page and open dialog, in English and Dutch.
 */
let cloud: LocalCloud;
let testCloud: TestCloud | undefined;
const shots = path.resolve(import.meta.dirname, '../../../test-results/portal-day');

async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page, name);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** axe in Dutch too: switch, check, switch back. */
async function checkBoth(page: Page, name: string): Promise<void> {
  await check(page, `${name}-en`);
  const header = page.locator('header.top');
  await header.getByLabel('Language').selectOption('nl');
  await header.getByLabel('Taal').waitFor();
  await check(page, `${name}-nl`);
  await header.getByLabel('Taal').selectOption('en');
  await header.getByLabel('Language').waitFor();
}

const api = signedInApi(() => cloud);

const iso = (date: Date) => date.toISOString().slice(0, 10);
const now = new Date();
const firstOfMonth = (offset: number) => iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
const latestRunDate = firstOfMonth(0);
const previousMonth = (day: number) => iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, day)));

beforeAll(async () => {
  rmSync(shots, { recursive: true, force: true });
  await ensurePortalBuilt();
  testCloud = await startTestCloud('portal-day', {
    inMemory: true,
    servePortal: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0, portal: 0 },
  });
  cloud = testCloud.cloud;
}, 180_000);

afterAll(async () => {
  await testCloud?.stop();
});

describe('a billing team’s working day', () => {
  it('admin sets up, the run makes the draft, billing edits, review approves, send, credit, resend, bulk send', async () => {
    const portal = cloud.urls.portal as string;
    const suffix = randomUUID().slice(0, 6);
    const customerName = `Waterschap Rivierenland ${suffix}`;
    const projectName = `Dijkversterking ${suffix}`;
    const sessions: BrowserSession[] = [];
    try {
      // --- admin: customer and project with a monthly frequency that started three months ago
      const admin = await openBrowser();
      sessions.push(admin);
      await signIn(admin.page, portal, 'admin');
      await admin.page.getByRole('link', { name: 'Setup data' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Setup data' }).waitFor();
      await checkBoth(admin.page, '01-setup-empty');
      await admin.page.getByRole('button', { name: 'New customer' }).click();
      const customerForm = admin.page.getByRole('form', { name: 'New customer' });
      await customerForm.getByLabel('Name').fill(customerName);
      await customerForm.getByLabel('Street and number (one line each)').fill('Postbus 599');
      await customerForm.getByLabel('Postal code').fill('4000 AN');
      await customerForm.getByLabel('City').fill('Tiel');
      await customerForm.getByLabel('E-mail').fill('crediteuren@rivierenland.example');
      await customerForm.getByLabel('VAT number').fill('NL001234567B01');
      await customerForm.getByLabel('Electronic address scheme (Peppol EAS, e.g. 0106)').fill('0190');
      await customerForm.getByLabel('Electronic address (Peppol ID)').fill('00000000000000000001');
      await customerForm.getByLabel('Payment terms of its projects (days, empty: 30)').fill('14');
      await checkBoth(admin.page, '02-customer-form');
      await customerForm.getByRole('button', { name: 'Save customer' }).click();
      await admin.page
        .getByRole('status')
        .filter({ hasText: `Customer ${customerName} saved.` })
        .waitFor();
      // the list shows the customer's payment terms (its projects' default)
      const customerRow = admin.page
        .getByRole('table', { name: 'Customers' })
        .getByRole('row')
        .filter({ hasText: customerName });
      expect(await customerRow.getByRole('cell').nth(3).textContent()).toBe('14');

      await admin.page.getByRole('button', { name: 'New project' }).click();
      const projectForm = admin.page.getByRole('form', { name: 'New project' });
      await projectForm.getByLabel('Name', { exact: true }).fill(projectName);
      await projectForm.getByLabel('Customer').selectOption({ label: customerName });
      // no own payment terms: the customer's 14 days apply
      await projectForm.getByTestId('terms-default').filter({ hasText: '14 days now' }).waitFor();
      expect(await projectForm.getByLabel('Payment terms (days)').inputValue()).toBe('');
      await projectForm.getByLabel('Description of line 1').fill('Advies en toezicht');
      // the customer takes e-invoices: each needs a buyer reference (or PO number), copied to every draft
      await projectForm.getByLabel('Buyer reference').fill('WSRL-2026-17');
      await projectForm.getByLabel('Billing start').fill(firstOfMonth(-3));
      // the run dates and cut-offs, before saving: the next first of the month, cut-off the day before
      const next = firstOfMonth(1);
      const runDates = projectForm.getByRole('table', { name: 'Next run dates and cut-offs' });
      const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
      await runDates.getByRole('cell', { name: day.format(new Date(`${next}T00:00:00Z`)), exact: true }).waitFor();
      await projectForm.getByLabel('Day of run 1 (1-31 or last)').fill('32');
      await projectForm.getByText(/Not a valid frequency yet \(rules\[0\]\.day/).waitFor();
      await projectForm.getByLabel('Day of run 1 (1-31 or last)').fill('1');
      await runDates.waitFor();
      await checkBoth(admin.page, '03-project-form');
      await projectForm.getByRole('button', { name: 'Save project' }).click();
      await admin.page
        .getByRole('status')
        .filter({ hasText: `Project ${projectName} saved.` })
        .waitFor();
      // editing the frequency tells what it does to the dates not yet run
      await admin.page.getByRole('button', { name: `Edit ${projectName}` }).click();
      const editForm = admin.page.getByRole('form', { name: `Edit ${projectName}` });
      await editForm.getByLabel('Day of run 1 (1-31 or last)').fill('15');
      await editForm
        .getByTestId('frequency-change')
        .filter({ hasText: 'Dates already run keep their invoices' })
        .waitFor();
      // and a milestone of the project (not ready yet: the run leaves it out)
      const milestoneForm = admin.page.getByRole('form', { name: 'Add milestone' });
      await milestoneForm.getByLabel('Description').fill('Oplevering ontwerp');
      await milestoneForm.getByLabel('Amount (EUR)').fill('1500,00');
      await milestoneForm.getByRole('button', { name: 'Add milestone' }).click();
      await admin.page.getByRole('button', { name: 'Mark Oplevering ontwerp ready' }).waitFor();
      await checkBoth(admin.page, '03-project-edit-milestone');
      await editForm.getByRole('button', { name: 'Cancel' }).click();
      // review before sending on
      await admin.page.getByLabel('Review before sending').check();
      await admin.page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
      await checkBoth(admin.page, '04-setup-done');

      const projects = await api('GET', '/projects?limit=500', 'viewer');
      const project = projects.body.items.find((item: { name: string }) => item.name === projectName);
      // the work of last month, imported from a Dutch CSV file: a bad row is reported and nothing is written
      const dutch = (isoDate: string) => `${isoDate.slice(8, 10)}-${isoDate.slice(5, 7)}-${isoDate.slice(0, 4)}`;
      const header =
        'externalId;date;type;contractLineId;description;quantity;unit;unitPrice;vatCode;vatCategory;vatRate';
      const row = (n: number, date: string, quantity = '2,5') =>
        `${suffix}-${n};${dutch(date)};time;cl-1;Toezicht ${n};${quantity};uur;100,00;NL-HIGH;S;21`;
      const fixedCsv = [header, row(1, previousMonth(9)), row(2, previousMonth(3)), row(3, previousMonth(6))].join(
        '\n',
      );
      const badCsv = [header, row(1, previousMonth(9)), row(2, previousMonth(3), '2.5'), row(3, previousMonth(6))].join(
        '\n',
      );
      await admin.page.getByRole('link', { name: 'Work' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Work per project' }).waitFor();
      await admin.page.getByLabel('Project').selectOption({ label: projectName });
      const upload = async (name: string, content: string) =>
        admin.page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
      await upload('uren-fout.csv', badCsv);
      await admin.page.getByRole('button', { name: 'Import', exact: true }).click();
      const report = admin.page.getByRole('table', { name: 'Problems in the file (nothing was imported)' });
      await report
        .getByRole('row')
        .filter({ hasText: /^3quantitynot a number/ })
        .waitFor();
      await checkBoth(admin.page, '04-import-refused');
      expect((await api('GET', `/transactions?projectId=${project.id}`, 'viewer')).body.items).toEqual([]);
      await upload('uren.csv', fixedCsv);
      await admin.page.getByRole('button', { name: 'Import', exact: true }).click();
      await admin.page.getByRole('status').filter({ hasText: 'Imported: 3 new, 0 already there.' }).waitFor();
      await admin.page.getByRole('table', { name: '3 transaction(s), €750.00 net' }).waitFor();
      await upload('uren.csv', fixedCsv);
      await admin.page.getByRole('button', { name: 'Import', exact: true }).click();
      await admin.page.getByRole('status').filter({ hasText: 'Imported: 0 new, 3 already there.' }).waitFor();
      await checkBoth(admin.page, '05-work');
      const imported = (await api('GET', `/transactions?projectId=${project.id}`, 'viewer')).body.items as {
        id: string;
        description: string;
      }[];
      expect(imported).toHaveLength(3);

      // edit an unbilled transaction: a refused field is named next to it, nothing changes; then saved
      const third = imported.find((tx) => tx.description === 'Toezicht 3') as { id: string };
      const editDialog = admin.page.getByRole('dialog', { name: `Edit transaction ${third.id}` });
      await admin.page.getByRole('button', { name: `Edit ${third.id}` }).click();
      await editDialog.getByLabel('Quantity').fill('drie');
      await editDialog.getByRole('button', { name: 'Save transaction' }).click();
      await editDialog
        .locator('.field-error')
        .filter({ hasText: /^quantity: / })
        .waitFor();
      expect(await editDialog.getByLabel('Quantity').getAttribute('aria-invalid')).toBe('true');
      await check(admin.page, '05-transaction-edit-en');
      await editDialog.getByRole('button', { name: 'Cancel' }).click();
      await admin.page.getByRole('table', { name: '3 transaction(s), €750.00 net' }).waitFor();
      const header2 = admin.page.locator('header.top');
      await header2.getByLabel('Language').selectOption('nl');
      await admin.page.getByRole('button', { name: `${third.id} wijzigen` }).click();
      await check(admin.page, '05-transaction-edit-nl');
      await admin.page
        .getByRole('dialog', { name: `Boeking ${third.id} wijzigen` })
        .getByRole('button', { name: 'Annuleren' })
        .click();
      await header2.getByLabel('Taal').selectOption('en');
      await admin.page.getByRole('button', { name: `Edit ${third.id}` }).click();
      await editDialog.getByLabel('Quantity').press('Control+a');
      await editDialog.getByLabel('Quantity').pressSequentially('3');
      await editDialog.getByLabel('Description on the invoice').fill('Toezicht 3 (herzien)');
      await editDialog.getByRole('button', { name: 'Save transaction' }).press('Enter');
      await admin.page
        .getByRole('status')
        .filter({ hasText: `Transaction ${third.id} saved.` })
        .waitFor();
      await admin.page.getByRole('table', { name: '3 transaction(s), €800.00 net' }).waitFor();
      const edited = (await api('GET', `/transactions/${third.id}`, 'viewer')).body;
      expect(edited).toMatchObject({ printedDescription: 'Toezicht 3 (herzien)', version: 2 });
      expect(Number(edited.quantity)).toBe(3);

      // --- the invoice run of the latest run date
      const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
      const run = await waitForExecution(
        sfn,
        await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), {
          runDate: latestRunDate,
          projectIds: [project.id],
        }),
        { timeoutMillis: 120_000 },
      );
      expect(run.status).toBe('SUCCEEDED');
      const invoices = await api('GET', `/invoices?projectId=${project.id}`, 'viewer');
      expect(invoices.body.items).toHaveLength(1);
      const draftId = invoices.body.items[0].id as string;
      expect(invoices.body.items[0].paymentTermsDays).toBe(14); // the customer's terms

      // the work is on the draft now: no edit, but where to change it
      await admin.page.reload();
      await admin.page.getByLabel('Project').selectOption({ label: projectName });
      await admin.page
        .getByRole('link', { name: `Open invoice ${draftId}` })
        .first()
        .waitFor();
      expect(await admin.page.getByRole('button', { name: `Edit ${third.id}` }).count()).toBe(0);
      await admin.page.getByText('On a draft: change it there.').first().waitFor();
      await checkBoth(admin.page, '05-work-reserved');

      // --- billing: the draft, details in date order, header edit, submit
      const billing = await openBrowser();
      sessions.push(billing);
      const page = billing.page;
      await signIn(page, portal, 'billing');
      await page.goto(`${portal}/#/invoices/${encodeURIComponent(draftId)}`);
      await page.getByRole('heading', { level: 1, name: `Draft ${draftId}` }).waitFor();
      const rows = page.getByRole('table', { name: /Details 1–3 of 3/ }).getByRole('row');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
      expect(await rows.nth(1).textContent()).toContain('Toezicht 2');
      expect(await rows.nth(3).textContent()).toContain('Toezicht 1');
      expect(await page.getByTestId('recipient').textContent()).toBe('crediteuren@rivierenland.example');
      expect(await page.getByRole('button', { name: 'Send to customer' }).count()).toBe(0);
      await checkBoth(page, '05-draft');
      // a manual line: a refused field is named next to it; added; then removed again (its work billable later)
      await page.getByRole('button', { name: 'Add a line' }).click();
      const addForm = page.getByRole('form', { name: 'Add a line to the draft' });
      await addForm.getByRole('combobox', { name: /^Type/ }).selectOption('expense');
      await addForm.getByLabel('Description', { exact: true }).fill('Reiskosten');
      await addForm.getByLabel('Quantity').fill('een');
      await addForm.getByLabel('Unit', { exact: true }).fill('rit');
      await addForm.getByLabel('Unit price').fill('45,00');
      await addForm.getByRole('button', { name: 'Add line' }).click();
      await addForm
        .locator('.field-error')
        .filter({ hasText: /^quantity: / })
        .waitFor();
      await checkBoth(page, '05-add-line');
      await addForm.getByLabel('Quantity').fill('1');
      await addForm.getByRole('button', { name: 'Add line' }).click();
      await page.getByRole('status').filter({ hasText: 'Line added.' }).waitFor();
      const withLine = page.getByRole('table', { name: /Details 1–4 of 4/ }).getByRole('row');
      await expect.poll(() => withLine.count(), { timeout: 30_000 }).toBe(5);
      expect(await withLine.nth(4).textContent()).toContain('Reiskosten');
      await page.getByRole('button', { name: 'Remove detail 4' }).click();
      await page.getByRole('status').filter({ hasText: 'Detail removed' }).waitFor();
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
      await page.getByRole('button', { name: 'Edit header' }).click();
      await page.getByLabel('Purchase order number').fill('PO-4711');
      await checkBoth(page, '06-header-edit');
      await page.getByRole('button', { name: 'Save header' }).click();
      await page.getByRole('status').filter({ hasText: 'Header saved.' }).waitFor();
      expect(await page.getByTestId('po-number').textContent()).toBe('PO-4711');
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.getByRole('status').filter({ hasText: 'Submitted for review.' }).waitFor();
      await page.getByText('You submitted it: another billing user approves it.').waitFor();
      const version = (await api('GET', `/invoices/${draftId}`, 'viewer')).body.version as number;
      const early = await api('POST', `/invoices/${draftId}/send`, 'billing', undefined, version);
      expect(early.status).toBe(409);
      expect(early.body.detail).toMatch(/must approve it first/);

      // --- a second billing user approves
      const reviewer = await openBrowser();
      sessions.push(reviewer);
      await signIn(reviewer.page, portal, 'reviewer');
      await reviewer.page.goto(`${portal}/#/invoices/${encodeURIComponent(draftId)}`);
      await reviewer.page.getByRole('button', { name: 'Approve' }).click();
      await reviewer.page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
      await reviewer.page.getByTestId('review-state').filter({ hasText: 'Approved by reviewer' }).waitFor();
      await checkBoth(reviewer.page, '07-approved');

      // --- billing sends: the confirmation names the recipient the e-mail goes to
      await page.reload();
      await page.getByTestId('review-state').filter({ hasText: 'Approved by reviewer' }).waitFor();
      await page.getByRole('button', { name: 'Send to customer' }).click();
      const sendDialog = page.getByRole('dialog', { name: 'Send invoice to customer' });
      await sendDialog.getByText('crediteuren@rivierenland.example').waitFor();
      await checkBoth(page, '08-send-dialog');
      await sendDialog.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Invoice INV-\d{4}-\d{6}$/ }).waitFor();
      const log = page.getByRole('table', { name: 'E-mails of this invoice, each with its status' });
      await log.getByText('Sent: the mail server accepted it.').waitFor();

      // --- credit part of it, with a preview
      await page.getByRole('button', { name: 'Credit note' }).click();
      const creditDialog = page.getByRole('dialog', { name: 'Credit this invoice' });
      await creditDialog.getByLabel('Part of it, per detail').check();
      await creditDialog.getByLabel(/^Quantity to credit for Toezicht 2/).fill('1');
      await creditDialog.getByTestId('credit-preview').filter({ hasText: '-€100.00 net, -€121.00 with VAT' }).waitFor();
      await checkBoth(page, '09-credit-dialog');
      await creditDialog.getByRole('button', { name: 'Create credit note' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Credit note CN-\d{4}-\d{6} created/ })
        .waitFor();

      // --- resend, then the delivery log and the history
      await page.getByRole('button', { name: 'Resend' }).click();
      await page.getByRole('dialog', { name: 'Resend the invoice' }).getByRole('button', { name: 'Resend' }).click();
      await page.getByRole('status').filter({ hasText: 'Resent to crediteuren@rivierenland.example' }).waitFor();
      await expect.poll(() => log.getByText('Sent: the mail server accepted it.').count(), { timeout: 30_000 }).toBe(2);
      const history = page.getByRole('table', { name: 'Changes, oldest first' });
      for (const action of ['editHeader', 'submitForReview', 'approveReview', 'send'])
        await history.getByRole('cell', { name: action, exact: true }).first().waitFor();
      await checkBoth(page, '10-issued');

      // --- bulk send two drafts (review off again)
      expect((await api('PATCH', '/settings', 'admin', { reviewBeforeSend: false })).status).toBe(200);
      const more: string[] = [];
      for (const index of [1, 2]) {
        await api(
          'POST',
          '/transactions',
          'admin',
          transactionBody(project.id, `t-${suffix}-more-${index}`, previousMonth(10 + index), {
            description: `Extra ${index}`,
          }),
        );
        const preview = await api('POST', `/projects/${project.id}/invoice-preview`, 'billing', {
          cutOff: previousMonth(10 + index),
        });
        const created = await api('POST', `/projects/${project.id}/invoices`, 'billing', { token: preview.body.token });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        more.push(created.body.id);
      }
      await page.getByRole('link', { name: 'Invoices' }).click();
      for (const id of more) await page.getByLabel(`Select Draft ${id.slice(0, 12)}`).check();
      await page.getByRole('button', { name: 'Send 2 invoice(s)' }).click();
      await checkBoth(page, '11-bulk-confirm');
      await page
        .getByRole('dialog', { name: 'Send 2 invoice(s)' })
        .getByRole('button', { name: 'Send', exact: true })
        .click();
      await page.getByText('Sent 2 of 2').waitFor({ timeout: 60_000 });
      for (const id of more)
        await page
          .getByTestId(`bulk-${id}`)
          .filter({ hasText: /Sent as INV-/ })
          .waitFor();
      await checkBoth(page, '12-bulk-sent');
      const after = await api('GET', `/invoices?projectId=${project.id}&status=issued`, 'viewer');
      expect(after.body.items.filter((invoice: { id: string }) => more.includes(invoice.id))).toHaveLength(2);
      await page.getByRole('button', { name: 'Close', exact: true }).click();

      // --- all approved drafts of a run date: two more projects of the customer, run on the latest run date
      const others: string[] = [];
      for (const index of [1, 2]) {
        const id = `${project.id}-${index}`;
        const body = { ...monthlyProjectBody(`${suffix}-${index}`), id, customerId: project.customerId };
        expect((await api('POST', '/projects', 'admin', body)).status).toBe(201);
        await api(
          'POST',
          '/transactions',
          'admin',
          transactionBody(id, `t-${suffix}-other-${index}`, previousMonth(5)),
        );
        others.push(id);
      }
      const second = await waitForExecution(
        sfn,
        await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), {
          runDate: latestRunDate,
          projectIds: others,
        }),
        { timeoutMillis: 120_000 },
      );
      expect(second.status).toBe('SUCCEEDED');
      const runDrafts: string[] = [];
      for (const id of others)
        runDrafts.push((await api('GET', `/invoices?projectId=${id}`, 'viewer')).body.items[0].id as string);
      // with review on, one is approved by a second billing user, the other waits
      expect((await api('PATCH', '/settings', 'admin', { reviewBeforeSend: true })).status).toBe(200);
      const [approvedId, waitingId] = runDrafts as [string, string];
      for (const id of runDrafts) {
        const read = await api('GET', `/invoices/${id}`, 'viewer');
        expect((await api('POST', `/invoices/${id}/submit`, 'billing', undefined, read.body.version)).status).toBe(200);
      }
      const toApprove = await api('GET', `/invoices/${approvedId}`, 'viewer');
      const approval = await api(
        'POST',
        `/invoices/${approvedId}/approve`,
        'reviewer',
        undefined,
        toApprove.body.version,
      );
      expect(approval.status, JSON.stringify(approval.body)).toBe(200);
      await page.reload();
      const runForm = page.getByRole('form', { name: 'Send the drafts of a run date' });
      await runForm.getByLabel('Run date').fill(latestRunDate);
      await runForm.getByRole('button', { name: 'Show its drafts' }).click();
      const runTable = page.getByRole('table', { name: /^1 approved draft\(s\) of the run of / });
      await runTable.getByRole('link', { name: `Draft ${approvedId.slice(0, 12)}` }).waitFor();
      expect(await runTable.getByRole('link', { name: `Draft ${waitingId.slice(0, 12)}` }).count()).toBe(0);
      await page.getByTestId('run-date-waiting').filter({ hasText: '1 more draft(s)' }).waitFor();
      await checkBoth(page, '13-run-date-drafts');
      await page.getByRole('button', { name: 'Choose these 1 for sending' }).click();
      await page.getByRole('button', { name: 'Send 1 invoice(s)' }).click();
      await page
        .getByRole('dialog', { name: 'Send 1 invoice(s)' })
        .getByRole('button', { name: 'Send', exact: true })
        .click();
      await page
        .getByTestId(`bulk-${approvedId}`)
        .filter({ hasText: /Sent as INV-/ })
        .waitFor({ timeout: 60_000 });
      await page.getByText('Sent 1 of 1').waitFor();
      // pressed again after a reload: the outcome is still shown, nothing is sent twice
      await page.reload();
      await page
        .getByTestId(`bulk-${approvedId}`)
        .filter({ hasText: /Sent as INV-/ })
        .waitFor();
      await checkBoth(page, '14-run-date-sent');
      const sentOnce = await api('GET', `/invoices/${approvedId}/deliveries`, 'viewer');
      expect(sentOnce.status).toBe(200);
      expect(sentOnce.body.items).toHaveLength(1);
      expect((await api('GET', `/invoices/${waitingId}`, 'viewer')).body.status).toBe('in_review');
    } catch (error) {
      for (const [index, session] of sessions.entries())
        await session.page
          .screenshot({ path: path.join(shots, `failure-${index}.png`), fullPage: true })
          .catch(() => undefined);
      throw error;
    } finally {
      for (const session of sessions) await session.close();
    }
  }, 400_000);
});
