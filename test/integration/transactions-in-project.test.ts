import './handler-environment.ts';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documents, dynamodb, tableName } from '../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { moveTransactionsIntoProjects } from '../../functions/adapters/dynamodb/migrations/transactions-in-project.ts';
import { dynamoRunDrafts } from '../../functions/adapters/dynamodb/run-write-path.ts';
import { transactionItem } from '../../functions/adapters/dynamodb/transactions-store.ts';
import { transactionDetail } from '../../functions/domain/work-details.ts';
import { runInvoiceId } from '../../functions/invoice-runs/invoice-project.ts';
import { stateMachineArn } from '../../local/handler-environment.ts';
import { startInvoiceRun, waitForExecution } from '../../local/invoice-run-client.ts';
import { givenCustomer, givenProject, givenTransactions, monthlyOn, transaction } from '../support/billing-data.ts';
import { expectHeldBy } from '../support/invoice-run-checks.ts';
import { call } from './api/support.ts';
import { sfn } from './clients.ts';

/**
 * Transactions in their project's partition: a run's reservation changes one item and no index entry (one write
 * unit), and transactions written before the move are upgraded in place by an idempotent migration.
 */

type Capacity = { CapacityUnits?: number; Table?: { CapacityUnits?: number }; GlobalSecondaryIndexes?: object };

/** The capacity DynamoDB reports for each UpdateItem sent while `work` runs (ReturnConsumedCapacity INDEXES). */
async function updateCapacity(work: () => Promise<unknown>): Promise<Capacity[]> {
  const consumed: Capacity[] = [];
  const name = `capacity-${Math.random()}`;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'UpdateItemCommand') return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      consumed.push((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity ?? {});
      return result;
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    dynamodb.middlewareStack.remove(name);
  }
  return consumed;
}

describe('transactions in their project partition', () => {
  it("a run's reservation is one UpdateItem of one write unit that touches no index", async () => {
    const customer = await givenCustomer();
    const project = await givenProject(customer.id, monthlyOn([15], '2002-12-01'));
    const work = [1, 2, 3].map((n) => transaction(project, n, `2003-01-0${n}`));
    await givenTransactions(work);
    const invoiceId = `INV-${project.id}`;
    const details = work.map((t) => transactionDetail(t, 'EUR', false));
    const consumed = await updateCapacity(() => dynamoRunDrafts.reserveSources(invoiceId, project.id, details));
    expect(consumed).toHaveLength(3);
    for (const capacity of consumed) {
      expect(capacity.CapacityUnits).toBe(1);
      expect(capacity.GlobalSecondaryIndexes ?? {}).toEqual({});
    }
    for (const t of work) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName(), Key: keys.projectTransaction(project.id, t.date, t.id) }),
      );
      expect(Item).toMatchObject({ billingState: 'reserved', reservedBy: invoiceId });
      expect(Object.keys(Item ?? {}).filter((name) => name.startsWith('gsi'))).toEqual([]);
      // Typical size as DynamoDB counts it (names + values): far below the 1 KB of one write unit.
      expect(Buffer.byteLength(JSON.stringify(Item))).toBeLessThan(700);
    }
  });

  it('an old transaction item is moved by the migration (twice: the repeat moves nothing), then read and invoiced', async () => {
    const customer = await givenCustomer();
    const project = await givenProject(customer.id, monthlyOn([15], '2002-12-01'));
    const old = transaction(project, 1, '2003-02-03');
    const { pk: _pk, sk: _sk, ...attributes } = transactionItem(old);
    // As the previous version wrote it: its own partition, in the backlog (gsi1) and project (gsi2) indexes.
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.transaction(old.id),
          ...attributes,
          gsi1pk: `UNBILLED#${project.id}`,
          gsi1sk: `${old.date}#${old.id}`,
          gsi2pk: `PROJECTTX#${project.id}`,
          gsi2sk: `${old.date}#${old.id}`,
        },
      }),
    );
    const first = await moveTransactionsIntoProjects();
    expect(first.moved).toBeGreaterThanOrEqual(1);
    expect(first.skipped).toBe(0);
    expect(await moveTransactionsIntoProjects()).toEqual({ moved: 0, skipped: 0 });

    const { Item: keyItem } = await documents.send(
      new GetCommand({ TableName: tableName(), Key: keys.transaction(old.id), ConsistentRead: true }),
    );
    expect(keyItem).toEqual({
      ...keys.transaction(old.id),
      entity: 'TransactionKey',
      projectId: project.id,
      date: old.date,
    });
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tx)',
        ExpressionAttributeValues: { ':pk': keys.project(project.id).pk, ':tx': 'TX#' },
        ConsistentRead: true,
      }),
    );
    expect(Items).toEqual([transactionItem(old)]);

    const byId = await call('GET', `/transactions/${old.id}`, { as: 'viewer' });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: old.id, projectId: project.id, date: old.date, billingState: 'unbilled' });
    const listed = await call('GET', `/transactions?projectId=${project.id}`, { as: 'viewer' });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([old.id]);

    const runDate = '2003-02-15';
    const execution = await waitForExecution(
      sfn,
      await startInvoiceRun(sfn, stateMachineArn('invoice-run'), { runDate, projectIds: [project.id] }),
      { timeoutMillis: 300_000 },
    );
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    await expectHeldBy(runInvoiceId(project.id, runDate), [old.id]);
  });

  it('a date changed through the API moves the transaction; the old place is gone and the key item follows', async () => {
    const customer = await givenCustomer();
    const project = await givenProject(customer.id, monthlyOn([15], '2002-12-01'));
    const t = transaction(project, 1, '2003-03-03');
    await givenTransactions([t]);
    const { id: _id, version: _version, billingState: _state, reservedBy: _by, ...body } = t;
    const changed = await call('PUT', `/transactions/${t.id}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...body, date: '2003-03-04' },
    });
    expect(changed.status).toBe(200);
    const stale = await call('PUT', `/transactions/${t.id}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...body, date: '2003-03-05' },
    });
    expect(stale.status).toBe(412);
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tx)',
        ExpressionAttributeValues: { ':pk': keys.project(project.id).pk, ':tx': 'TX#' },
        ConsistentRead: true,
      }),
    );
    expect(Items.map((item) => [item.sk, item.version])).toEqual([[`TX#2003-03-04#${t.id}`, 2]]);
    const read = await call('GET', `/transactions/${t.id}`, { as: 'viewer' });
    expect(read.body).toMatchObject({ date: '2003-03-04', version: 2 });
  });
});
