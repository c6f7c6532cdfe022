import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalCloud } from '../local/cloud.ts';
import { localClient } from '../local/dynamodb-local.ts';
import { requestPasswordGrant } from '../local/demo-users.ts';
import { startInvoiceRun, stepFunctionsClient, waitForExecution } from '../local/invoice-run-client.ts';
import { chunkItem, chunkOf } from '../functions/adapters/dynamodb/detail-chunks.ts';
import { argument, log, median, round } from './lib.ts';

/**
 * The portal API under load: autocannon against the local HTTP API (API Gateway twin, JWT authorizer, the handler
 * modules) with a billing user's ID token, for GET of an invoice with 100 details, the invoice list and a PATCH of
 * a detail (If-Match, each connection on its own invoice, carrying the ETag forward). The floor is a bare Node HTTP
 * server in the same process making the same DynamoDB reads and writes with a plain client: no authorizer, no
 * middy, no validation, no domain. Ours and the floor alternate within each repetition.
 *
 *   tsx bench/api.ts --seconds 10 --reps 3 --connections 8 --out result.json
 */
const seconds = Number(argument('seconds', '10'));
const reps = Number(argument('reps', '3'));
const connections = Number(argument('connections', '8'));
const out = argument('out');
const runDate = '2025-03-15';

interface Load {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Answers other than 2xx by status, and transport errors/timeouts (a request cut off at the end of a load). */
  readonly failures: Readonly<Record<string, number>>;
}

export interface ApiResult {
  readonly seconds: number;
  readonly reps: number;
  readonly connections: number;
  readonly requests: Record<
    string,
    {
      readonly ours: Load;
      readonly floor: Load;
      readonly ratio: number;
      readonly oursRuns: Load[];
      readonly floorRuns: Load[];
    }
  >;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'factuur-bench-api-'));
const cloud = await startLocalCloud({
  ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 },
  dataDir,
  inMemory: true,
  fresh: true,
});
let floorServer: Server | undefined;
try {
  writeFileSync(out, JSON.stringify(await measure(), null, 2));
} finally {
  floorServer?.closeAllConnections();
  await new Promise((resolve) => (floorServer ? floorServer.close(resolve) : resolve(undefined)));
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function measure(): Promise<ApiResult> {
  const { tableName } = await import('../functions/adapters/dynamodb/client.ts');
  const { givenCustomer, givenProject, givenTransactions, monthlyOn, transaction } = await import(
    '../test/support/billing-data.ts'
  );
  const { runInvoiceId } = await import('../functions/invoice-runs/invoice-project.ts');
  const table = tableName();

  // Drafts of 100 details made by the invoice run, one per PATCH connection, and a few more for the list.
  const customer = await givenCustomer({ id: 'c-bench' });
  const projectIds: string[] = [];
  for (let p = 0; p < 2 * connections + 2; p++) {
    const project = await givenProject(customer.id, monthlyOn([15], '2025-01-01'), {
      id: `p-api-${String(p).padStart(3, '0')}`,
    });
    projectIds.push(project.id);
    await givenTransactions(
      Array.from({ length: 100 }, (_, n) =>
        transaction(project, n, `2025-03-${String(1 + (n % 14)).padStart(2, '0')}`),
      ),
    );
  }
  const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
  const execution = await waitForExecution(
    sfn,
    await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate }),
  );
  if (execution.status !== 'SUCCEEDED') throw new Error(`the seeding run ended ${execution.status}`);
  const invoiceIds = projectIds.map((projectId) => runInvoiceId(projectId, runDate));

  const discovery = (await (await fetch(`${cloud.urls.oidc}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string;
  };
  const token = (await requestPasswordGrant(discovery.token_endpoint, 'billing', 'billing')).idToken;
  const authorization = `Bearer ${token}`;

  const read = await fetch(`${cloud.urls.api}/invoices/${invoiceIds[0]}`, { headers: { authorization } });
  const invoice = (await read.json()) as { details: { items: { id: string }[] } };
  if (read.status !== 200 || invoice.details.items.length !== 100)
    throw new Error(`GET invoice answered ${read.status} with ${invoice.details?.items?.length} details`);
  const patchTargets = invoiceIds.slice(0, 2 * connections);
  const firstDetail = new Map<string, string>();
  for (const invoiceId of patchTargets) {
    const answer = (await (
      await fetch(`${cloud.urls.api}/invoices/${invoiceId}`, { headers: { authorization } })
    ).json()) as { details: { items: { id: string }[] } };
    firstDetail.set(invoiceId, answer.details.items[0]!.id);
  }
  const versions = new Map<string, number>(patchTargets.map((id) => [id, 1]));

  const floor = await startFloorServer(DynamoDBDocumentClient.from(localClient(cloud.urls.dynamodb)), table);
  floorServer = floor.server;

  const scenarios: Record<string, (base: string) => autocannon.Options> = {
    'GET /invoices/{id}': (base) => ({ url: `${base}/invoices/${invoiceIds[0]}`, headers: { authorization } }),
    'GET /invoices': (base) => ({ url: `${base}/invoices`, headers: { authorization } }),
    // Each request takes an invoice no other request has in flight (autocannon resets a connection's context after
    // every request, so connections cannot own one) and gives it back with the version from the answer's ETag.
    'PATCH detail': (base) =>
      ({
        url: base,
        requests: [
          {
            setupRequest: (request: autocannon.Request, context: Record<string, unknown>) => {
              const invoiceId = idle.shift() ?? patchTargets[0]!;
              context.invoiceId = invoiceId;
              const quantity = (versions.get(invoiceId)! % 2) + 2;
              return {
                ...request,
                method: 'PATCH',
                path: `/invoices/${invoiceId}/details/${encodeURIComponent(firstDetail.get(invoiceId)!)}`,
                headers: {
                  authorization,
                  'content-type': 'application/json',
                  'if-match': `"${versions.get(invoiceId)}"`,
                },
                body: JSON.stringify({ quantity: String(quantity) }),
              };
            },
            onResponse: (
              _status: number,
              _body: string,
              context: Record<string, unknown>,
              headers: Record<string, string>,
            ) => {
              const invoiceId = context.invoiceId as string;
              const etag = Number(String(headers.etag ?? headers.ETag ?? '').replaceAll('"', ''));
              if (etag) versions.set(invoiceId, etag);
              idle.push(invoiceId);
            },
          },
        ],
      }) as unknown as autocannon.Options,
  };
  // Before each PATCH load: every invoice idle, versions as stored (a request cut off at the end of a load may have written).
  const idle: string[] = [];
  const plainDocuments = DynamoDBDocumentClient.from(localClient(cloud.urls.dynamodb));
  async function resetPatchTargets() {
    idle.length = 0;
    for (const invoiceId of patchTargets) {
      const { Item } = await plainDocuments.send(
        new GetCommand({ TableName: table, Key: { pk: `INVOICE#${invoiceId}`, sk: 'HEADER' }, ConsistentRead: true }),
      );
      versions.set(invoiceId, Item!.version as number);
      idle.push(invoiceId);
    }
  }

  const requests: ApiResult['requests'] = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    const oursRuns: Load[] = [];
    const floorRuns: Load[] = [];
    for (let rep = 0; rep < reps; rep++) {
      if (name === 'PATCH detail') await resetPatchTargets();
      oursRuns.push(await load(scenario(cloud.urls.api)));
      if (name === 'PATCH detail') await resetPatchTargets();
      floorRuns.push(await load(scenario(floor.url)));
      log(
        `${name}: ours ${round(oursRuns.at(-1)!.requestsPerSecond, 0)} req/s, floor ${round(floorRuns.at(-1)!.requestsPerSecond, 0)} req/s`,
      );
    }
    const summary = (runs: Load[]): Load => ({
      requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      failures: runs.reduce<Record<string, number>>((all, run) => {
        for (const [what, count] of Object.entries(run.failures)) all[what] = (all[what] ?? 0) + count;
        return all;
      }, {}),
    });
    const ours = summary(oursRuns);
    const floorLoad = summary(floorRuns);
    requests[name] = {
      ours,
      floor: floorLoad,
      ratio: ours.requestsPerSecond / floorLoad.requestsPerSecond,
      oursRuns,
      floorRuns,
    };
  }
  return { seconds, reps, connections, requests };
}

async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ ...options, connections, duration: seconds });
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    failures: {
      ...Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {})
          .filter(([status]) => !status.startsWith('2'))
          .map(([status, stats]) => [status, stats.count]),
      ),
      ...(result.errors ? { 'transport errors': result.errors } : {}),
      ...(result.timeouts ? { timeouts: result.timeouts } : {}),
    },
  };
}

/** The floor: node:http and the same DynamoDB calls, nothing else. */
async function startFloorServer(
  documents: DynamoDBDocumentClient,
  table: string,
): Promise<{ server: Server; url: string }> {
  const strip = (item: Record<string, unknown>) => {
    const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
    return rest;
  };
  const send = (response: ServerResponse, status: number, body: unknown, version?: number) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(version === undefined ? {} : { etag: `"${version}"` }),
    });
    response.end(JSON.stringify(body));
  };
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    try {
      const parts = (request.url ?? '/').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
      if (request.method === 'GET' && parts.length === 1 && parts[0] === 'invoices') {
        const page = await documents.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': 'INVOICES' },
            ScanIndexForward: false,
            Limit: 50,
          }),
        );
        return send(response, 200, {
          items: (page.Items ?? []).map(strip),
          next: page.LastEvaluatedKey ? JSON.stringify(page.LastEvaluatedKey) : null,
        });
      }
      if (request.method === 'GET' && parts.length === 2 && parts[0] === 'invoices') {
        const pk = `INVOICE#${parts[1]}`;
        const { Item } = await documents.send(
          new GetCommand({ TableName: table, Key: { pk, sk: 'HEADER' }, ConsistentRead: true }),
        );
        if (!Item) return send(response, 404, {});
        const details = await documents.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :detail)',
            ExpressionAttributeValues: { ':pk': pk, ':detail': 'DETAILS#' },
            // Chunk items of up to 50 details (detail-chunks.ts): two hold a page of 100.
            Limit: 2,
          }),
        );
        const items = (details.Items ?? []).flatMap((chunk) => chunkOf(chunk).details);
        return send(
          response,
          200,
          {
            ...strip(Item),
            details: { items: items.slice(0, 100), next: details.LastEvaluatedKey ? 'x' : null },
          },
          Item.version as number,
        );
      }
      if (request.method === 'PATCH' && parts.length === 4 && parts[0] === 'invoices' && parts[2] === 'details') {
        const pk = `INVOICE#${parts[1]}`;
        const expected = Number((request.headers['if-match'] ?? '').replaceAll('"', ''));
        const input = JSON.parse(await readBody(request)) as { quantity: string };
        // A17: the chunk whose range holds the id (the greatest key at or before it), the detail in it.
        const [{ Item: header }, { Items: chunks }] = await Promise.all([
          documents.send(new GetCommand({ TableName: table, Key: { pk, sk: 'HEADER' }, ConsistentRead: true })),
          documents.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :id',
              ExpressionAttributeValues: { ':pk': pk, ':first': 'DETAILS#', ':id': `DETAILS#${parts[3]}` },
              ScanIndexForward: false,
              Limit: 1,
              ConsistentRead: true,
            }),
          ),
        ]);
        const chunk = chunks?.[0];
        const inChunk = chunk ? chunkOf(chunk).details : [];
        if (!header || !chunk || !inChunk.some((d) => d.id === parts[3])) return send(response, 404, {});
        if (header.version !== expected)
          return send(response, 412, { currentVersion: header.version }, header.version as number);
        const version = expected + 1;
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { ...header, version },
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': expected },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: {
                    pk,
                    sk: `AUDIT#${String(version).padStart(8, '0')}`,
                    entity: 'InvoiceAudit',
                    action: 'editDetail',
                    toVersion: version,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: chunkItem(String(parts[1]), {
                    key: chunkOf(chunk).key,
                    details: inChunk.map((d) => (d.id === parts[3] ? { ...d, quantity: input.quantity } : d)),
                  }),
                },
              },
            ],
          }),
        );
        return send(response, 200, { invoice: { ...strip(header), version } }, version);
      }
      send(response, 404, {});
    } catch (error) {
      send(response, 500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}
