import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud, LocalCloudOptions } from '../../local/cloud.ts';

/**
 * Done when (issue 12): GET /pdf and /ubl return the archived bytes, identical to the e-mail's attachments, after a
 * restart. A local cloud of its own, persisted in a data directory (DynamoDB Local, local S3), stopped and started
 * again on the same directory and ports, as `npm start` is.
 */
let cloud: LocalCloud;
let options: LocalCloudOptions;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-archive-restart-'));
  const { startLocalCloud } = await import('../../local/cloud.ts');
  const { freePort } = await import('../../local/ports.ts');
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  options = {
    dataDir,
    // Fixed ports: the handlers' clients (module scope) keep their endpoints across the restart.
    ports: {
      api: await freePort(),
      ses: await freePort(),
      dynamodb: await freePort(),
      stepfunctions: await freePort(),
      oidc: await freePort(),
      s3: await freePort(),
    },
  };
  cloud = await startLocalCloud(options);
  const { putFirmProfile } = await import('../../functions/adapters/dynamodb/firm-store.ts');
  const { firmProfile } = await import('../../local/demo-data.ts');
  await putFirmProfile(firmProfile);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function api(
  method: string,
  route: string,
  as: string,
  options: { body?: unknown; ifMatch?: number } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${cloud.urls.api}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${await cloud.oidc.issueToken(as)}`,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...(options.ifMatch !== undefined ? { 'if-match': `"${options.ifMatch}"` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

async function bytes(route: string): Promise<Buffer> {
  const response = await fetch(`${cloud.urls.api}${route}`, {
    headers: { authorization: `Bearer ${await cloud.oidc.issueToken('viewer')}` },
  });
  expect(response.status, route).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('archived documents after a restart', () => {
  it('GET /pdf and /ubl answer the bytes the e-mail carried, before and after the local cloud restarts', async () => {
    const suffix = randomUUID().slice(0, 8);
    const customer = await api('POST', '/customers', 'admin', {
      body: {
        id: `c-${suffix}`,
        name: 'Klant & Zn <é>',
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
    const { monthlyProjectBody, transactionBody } = await import('./api/support.ts');
    expect((await api('POST', '/projects', 'admin', { body: monthlyProjectBody(suffix) })).status).toBe(201);
    for (let i = 0; i < 2; i++)
      expect(
        (
          await api('POST', '/transactions', 'admin', {
            body: transactionBody(`p-${suffix}`, `t-${suffix}-${i}`, `2026-10-0${i + 1}`),
          })
        ).status,
      ).toBe(201);
    const preview = await api('POST', `/projects/p-${suffix}/invoice-preview`, 'billing', {
      body: { cutOff: '2026-10-31' },
    });
    const draft = await api('POST', `/projects/p-${suffix}/invoices`, 'billing', {
      body: { token: preview.body.token },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const id = draft.body.id as string;
    const sent = await api('POST', `/invoices/${id}/send`, 'billing', { ifMatch: draft.body.version as number });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const number = (sent.body.invoice as { number: string }).number;

    // The e-mail in the local SES inbox, once delivered.
    let attachments: Record<string, Buffer> = {};
    for (let tries = 0; tries < 150 && !attachments['application/pdf']; tries++) {
      const store = (await (await fetch(`${cloud.urls.ses}/store`)).json()) as {
        emails: { subject: string; attachments: { contentType: string; content: string }[] }[];
      };
      const email = store.emails.find((candidate) => candidate.subject.includes(number));
      attachments = Object.fromEntries(
        (email?.attachments ?? []).map((a) => [a.contentType, Buffer.from(a.content, 'base64')]),
      );
      if (!attachments['application/pdf']) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(Object.keys(attachments).sort()).toEqual(['application/pdf', 'application/xml']);
    expect((await bytes(`/invoices/${id}/pdf`)).equals(attachments['application/pdf']!)).toBe(true);
    expect((await bytes(`/invoices/${id}/ubl`)).equals(attachments['application/xml']!)).toBe(true);

    await cloud.stop();
    const { startLocalCloud } = await import('../../local/cloud.ts');
    cloud = await startLocalCloud(options);

    const pdf = await bytes(`/invoices/${id}/pdf`);
    const ubl = await bytes(`/invoices/${id}/ubl`);
    expect(pdf.equals(attachments['application/pdf']!)).toBe(true);
    expect(ubl.equals(attachments['application/xml']!)).toBe(true);
    // The bytes are the objects in the archive bucket, read as any S3 client would.
    const s3 = new S3Client({
      endpoint: cloud.urls.s3,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      forcePathStyle: true,
    });
    const object = await s3.send(
      new GetObjectCommand({ Bucket: 'factuur-documents', Key: `invoices/${id}/document.pdf` }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(pdf)).toBe(true);
  }, 180_000);
});
