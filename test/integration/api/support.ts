import { handlerEnvironment } from '../../../local/handler-environment.ts';
import { expect } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { requestPasswordGrant } from '../../../local/demo-users.ts';
import { openApiDocument } from '../../../functions/api/openapi.ts';
import { routes } from '../../../infra/definitions/routes.ts';
import { cloud } from '../clients.ts';

/** HTTP helpers for the portal API tests: real tokens from the local issuer, and every response checked against the OpenAPI document. */
const tokens = new Map<string, string>();

export async function tokenFor(user: 'viewer' | 'billing' | 'reviewer' | 'operator' | 'admin'): Promise<string> {
  let token = tokens.get(user);
  if (!token) {
    const discovery = (await (await fetch(`${cloud.oidc}/.well-known/openid-configuration`)).json()) as {
      token_endpoint: string;
    };
    token = (await requestPasswordGrant(discovery.token_endpoint, user, user)).idToken;
    tokens.set(user, token);
  }
  return token;
}

const document = openApiDocument() as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: unknown;
};
const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);
ajv.addSchema({ $id: 'https://factuur.dev/openapi.json', components: document.components });

function routeOf(method: string, path: string): string | undefined {
  const pathname = path.split('?')[0] as string;
  const candidates = routes
    .filter((route) => route.method === method)
    .map((route) => ({
      route,
      pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literal: route.path.split('/').filter((s) => !s.startsWith('{')).length,
    }))
    .filter((candidate) => candidate.pattern.test(pathname))
    .sort((a, b) => b.literal - a.literal);
  return candidates[0]?.route.path;
}

/** Checks a response against the operation's declared responses (status class and body schema). */
export function expectContract(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  const routePath = routeOf(method, path);
  if (!routePath) return; // 404 from the API twin: not an operation
  const responses = document.paths[routePath]?.[method.toLowerCase()]?.responses;
  expect(responses, `${method} ${routePath} in the OpenAPI document`).toBeDefined();
  const declared = responses?.[String(status)] ?? responses?.[`${String(status)[0]}XX`];
  expect(declared, `${method} ${path} answered ${status}, which the document does not declare`).toBeDefined();
  const [mediaType, media] = Object.entries(declared?.content ?? {})[0] ?? [];
  if (status === 401 && contentType?.startsWith('application/json')) return; // API Gateway's own 401 (JWT authorizer), before any handler
  if (!media) return;
  expect(contentType, `${method} ${path} ${status} content type`).toContain(mediaType);
  const validate = ajv.compile(
    JSON.parse(
      JSON.stringify(media.schema).replaceAll('"#/components/', '"https://factuur.dev/openapi.json#/components/'),
    ) as object,
  );
  if (!validate(body))
    throw new Error(
      `${method} ${path} ${status}: response does not match the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    );
}

export interface Response {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON is checked against the OpenAPI contract (expectContract)
  readonly body: any; // any: the JSON is checked against the OpenAPI contract (expectContract); tests then read its fields freely
}

export interface CallOptions {
  readonly token?: string | undefined;
  readonly as?: 'viewer' | 'billing' | 'reviewer' | 'operator' | 'admin';
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly ifMatch?: string | number;
  readonly idempotencyKey?: string | null;
  readonly headers?: Record<string, string>;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const token = options.token ?? (options.as ? await tokenFor(options.as) : undefined);
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined)
    headers['if-match'] = typeof options.ifMatch === 'number' ? `"${options.ifMatch}"` : options.ifMatch;
  if (method === 'POST' && options.idempotencyKey !== null)
    headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  const response = await fetch(`${cloud.api}${path}`, {
    method,
    headers,
    ...(options.rawBody !== undefined
      ? { body: options.rawBody }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  expectContract(method, path, response.status, response.headers.get('content-type'), body);
  return { status: response.status, headers: response.headers, body };
}

/** Points this test process's AWS SDK at the local cloud (for the test-only store calls, e.g. issueInvoice). */
export function useLocalCloudFromTests(): void {
  Object.assign(process.env, handlerEnvironment(cloud, cloud.tableName));
}

export const high = { code: 'NL-HIGH', category: 'S', rate: '21' } as const;

/** The POST /projects body of a monthly EUR project of customer `c-<suffix>`. */
export function monthlyProjectBody(suffix: string, name = `Project ${suffix}`) {
  return {
    id: `p-${suffix}`,
    name,
    customerId: `c-${suffix}`,
    currency: 'EUR',
    orgUnit: 'advies',
    frequency: {
      period: 'monthly',
      runsPerPeriod: 1,
      runDayMode: 'dayOfPeriod',
      rules: [{ day: 1 }],
      billingStart: '2026-01-01',
    },
    contractLines: [{ id: 'cl-1', description: 'Advies', billingMethod: 'time_and_material', notToExceed: null }],
    paymentTermsDays: 30,
    buyerReference: `PO-${suffix}`,
  };
}

/** A customer, a monthly project and a few transactions, created through the API as admin. */
export async function setupProject(suffix = randomUUID().slice(0, 8), transactions = 3) {
  const customer = await call('POST', '/customers', {
    as: 'admin',
    body: {
      id: `c-${suffix}`,
      name: `Klant ${suffix}`,
      postalAddress: {
        lines: ['Straat 1'],
        postalCode: '1000 AA',
        city: 'Amsterdam',
        subdivision: null,
        country: 'NL',
      },
      electronicAddress: { scheme: '0106', identifier: '12345678' },
      email: `klant-${suffix}@example.com`,
      taxId: null,
      language: 'nl',
    },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const project = await call('POST', '/projects', {
    as: 'admin',
    body: monthlyProjectBody(suffix),
  });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const ids: string[] = [];
  for (let i = 0; i < transactions; i++) {
    const created = await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(`p-${suffix}`, `t-${suffix}-${i}`, `2026-10-0${i + 1}`),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.push(created.body.id);
  }
  return { customerId: `c-${suffix}`, projectId: `p-${suffix}`, transactionIds: ids };
}

export function transactionBody(
  projectId: string,
  id: string | undefined,
  date: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    ...(id ? { id } : {}),
    projectId,
    type: 'time',
    date,
    contractLineId: 'cl-1',
    resource: 'jan',
    orgUnit: 'advies',
    description: 'Werk',
    quantity: '2.5',
    unit: 'hour',
    unitPrice: '100.00',
    tax: high,
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    ...overrides,
  };
}

/** Manual invoicing through the API: preview then finish; returns both. */
export async function manualDraft(projectId: string, cutOff = '2026-10-31') {
  const preview = await call('POST', `/projects/${projectId}/invoice-preview`, { as: 'billing', body: { cutOff } });
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  const created = await call('POST', `/projects/${projectId}/invoices`, {
    as: 'billing',
    body: { token: preview.body.token },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { preview: preview.body, invoice: created.body, etag: created.headers.get('etag') as string };
}

/**
 * Send (a credit note, a resend) hands the e-mail to the deliver-invoices workflow, which renders, archives and sends
 * it within seconds: the delivery as the log shows it once it left `queued`/`sending` (or after `millis`).
 */
export async function settledDelivery(invoiceId: string, deliveryId = 'send', millis = 60_000) {
  const end = Date.now() + millis;
  for (;;) {
    const log = await call('GET', `/invoices/${invoiceId}/deliveries`, { as: 'viewer' });
    const delivery = (log.body.items as { deliveryId: string; status: string }[]).find(
      (candidate) => candidate.deliveryId === deliveryId,
    ) as Record<string, unknown> | undefined;
    if ((delivery && !['queued', 'sending'].includes(delivery.status as string)) || Date.now() > end) return delivery;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * GET of an archived document (/pdf, /ubl) as the portal does it: while it is not archived yet (503 with
 * Retry-After, seconds after Send) it waits and asks again.
 */
export async function archivedDocument(
  path: string,
  millis = 60_000,
): Promise<{ status: number; type: string | null; bytes: Buffer; retried: number }> {
  const end = Date.now() + millis;
  for (let retried = 0; ; retried++) {
    const response = await fetch(`${cloud.api}${path}`, {
      headers: { authorization: `Bearer ${await tokenFor('viewer')}` },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 503 || Date.now() > end)
      return { status: response.status, type: response.headers.get('content-type'), bytes, retried };
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
