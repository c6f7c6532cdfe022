import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser helpers for the portal tests: Debian's chromium driven by playwright-core (a fresh profile per
 * session), axe-core injected into the page, screenshots kept under test-results/portal/.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.resolve(import.meta.dirname, '../../../test-results/portal');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openBrowser(locale = 'en-GB'): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    locale,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      console.error(`[browser] ${response.request().method()} ${response.url()} -> ${response.status()}`);
  });
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core on the page as it is and fails on any violation (with rule, impact and the first nodes). */
export async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  // These callbacks run in the page; the root tsconfig has no DOM lib, so the page's globals are reached untyped.
  const hasAxe = await page.evaluate(() => 'axe' in globalThis);
  if (!hasAxe) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: {
        run(
          context: unknown,
          options: object,
        ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
      };
      document: unknown;
    };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  expect(violations, `axe-core on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Checks a page: axe-core and a screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page, name);
  await screenshot(page, name);
}

/** Signs in through the issuer's login form (authorization code + PKCE, done by the portal). */
export async function signIn(
  page: Page,
  portalUrl: string,
  user: string,
  options: { checkSignInPage?: boolean } = {},
): Promise<void> {
  await page.goto(portalUrl);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  if (options.checkSignInPage) await checkPage(page, '01-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === new URL(portalUrl).origin && !url.search.includes('code='));
  await page.getByText(`Signed in as ${user} (`).waitFor();
}
