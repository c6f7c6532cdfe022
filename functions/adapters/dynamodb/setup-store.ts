import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { frequencyGroup } from '../../domain/index.ts';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys, TRANSACTIONS } from './keys.ts';
import { withoutKeys } from './items.ts';
import type {
  CustomerRecord,
  ProjectRecord,
  SetupStore,
  StoredMilestone,
  TransactionRecord,
  WriteOutcome,
} from '../../setup/ports.ts';
import {
  moveTransaction,
  putNewTransaction,
  transactionById,
  transactionItem,
  transactionPlace,
  withBillingState,
} from './transactions-store.ts';
import type { Page } from './invoice-pages-store.ts';

/**
 * Setup data written through the portal API, every write conditional: create = the key does not exist yet,
 * change = the item is still at the version the caller read (and, for transactions and milestones, not invoiced).
 */
async function conditionalPut(
  item: Record<string, unknown>,
  condition: string,
  values: Record<string, unknown> = {},
): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: item,
        ConditionExpression: condition,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function getItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return Item;
}

async function queryPage<T>(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Page<T>> {
  const result = await documents.send(new QueryCommand(input));
  return {
    items: (result.Items ?? []).map((item) => withoutKeys<T>(item)),
    ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}),
  };
}

// Customers -------------------------------------------------------------------------------------------------------

function customerItem(customer: CustomerRecord): Record<string, unknown> {
  return {
    ...keys.customer(customer.id),
    entity: 'Customer',
    ...customer,
    gsi1pk: 'CUSTOMERS',
    gsi1sk: `${customer.name.toLowerCase()}#${customer.id}`,
  };
}

export async function getCustomer(id: string): Promise<CustomerRecord | undefined> {
  const item = await getItem(keys.customer(id));
  return item ? withoutKeys<CustomerRecord>(item) : undefined;
}

export async function writeCustomer(customer: CustomerRecord, expectedVersion: number | 'new'): Promise<boolean> {
  return expectedVersion === 'new'
    ? conditionalPut(customerItem(customer), 'attribute_not_exists(pk)')
    : conditionalPut(customerItem(customer), 'version = :v', { ':v': expectedVersion });
}

export function customersPage(limit: number, startKey?: Record<string, unknown>): Promise<Page<CustomerRecord>> {
  return queryPage({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :c',
    ExpressionAttributeValues: { ':c': 'CUSTOMERS' },
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
}

// Projects --------------------------------------------------------------------------------------------------------

export async function getProject(id: string): Promise<ProjectRecord | undefined> {
  const item = await getItem(keys.project(id));
  return item ? withoutKeys<ProjectRecord>(item) : undefined;
}

/** The project and its frequency group (A4) in one transaction. */
export async function writeProject(project: ProjectRecord, expectedVersion: number | 'new'): Promise<boolean> {
  const group = frequencyGroup(project.frequency);
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.project(project.id),
                entity: 'Project',
                ...project,
                gsi1pk: 'PROJECTS',
                gsi1sk: `${project.name.toLowerCase()}#${project.id}`,
                gsi2pk: index.frequency(group.key),
                gsi2sk: project.id,
              },
              ...(expectedVersion === 'new'
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.frequencyGroup(group.key),
              UpdateExpression: 'SET entity = :entity, pattern = if_not_exists(pattern, :pattern)',
              ExpressionAttributeValues: { ':entity': 'FrequencyGroup', ':pattern': group.pattern },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export function projectsPage(limit: number, startKey?: Record<string, unknown>): Promise<Page<ProjectRecord>> {
  return queryPage({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': 'PROJECTS' },
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
}

// Transactions ----------------------------------------------------------------------------------------------------

export async function getTransaction(id: string): Promise<TransactionRecord | undefined> {
  const transaction = await transactionById(id);
  return transaction ? (await withBillingState([transaction]))[0] : undefined;
}

/**
 * Create (the transaction and its key item), or change while unbilled and at the expected version (a changed date
 * moves the item: moveTransaction).
 */
export async function writeTransaction(
  transaction: TransactionRecord,
  expectedVersion: number | 'new',
): Promise<WriteOutcome> {
  if (expectedVersion === 'new') return (await putNewTransaction(transaction)) ? 'ok' : 'exists';
  const place = await transactionPlace(transaction.id);
  if (!place) return 'missing';
  const written =
    place.date === transaction.date && place.projectId === transaction.projectId
      ? await conditionalPut(transactionItem(transaction), 'version = :v AND billingState = :unbilled', {
          ':v': expectedVersion,
          ':unbilled': 'unbilled',
        })
      : await moveTransaction(place, transaction, expectedVersion);
  if (written) return 'ok';
  const current = await getTransaction(transaction.id);
  if (!current) return 'missing';
  return current.billingState !== 'unbilled' ? 'invoiced' : 'stale';
}

/** A6: the transactions of a project, by date (billed derived from the reserving invoice, A41). */
export async function projectTransactionsPage(
  projectId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<TransactionRecord>> {
  const page = await queryPage<TransactionRecord>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :transactions)',
    ExpressionAttributeValues: { ':p': keys.project(projectId).pk, ':transactions': TRANSACTIONS },
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
  return { ...page, items: await withBillingState(page.items) };
}

// Milestones ------------------------------------------------------------------------------------------------------

export async function getMilestone(projectId: string, id: string): Promise<StoredMilestone | undefined> {
  const item = await getItem(keys.milestone(projectId, id));
  return item ? withoutKeys<StoredMilestone>(item) : undefined;
}

function milestoneItem(milestone: StoredMilestone): Record<string, unknown> {
  return {
    ...keys.milestone(milestone.projectId, milestone.id),
    entity: 'Milestone',
    ...milestone,
    ...(milestone.invoicedBy === null
      ? { gsi1pk: index.readyMilestones(milestone.projectId), gsi1sk: `${milestone.date}#${milestone.id}` }
      : {}),
  };
}

export async function writeMilestone(
  milestone: StoredMilestone,
  expectedVersion: number | 'new',
): Promise<WriteOutcome> {
  if (expectedVersion === 'new')
    return (await conditionalPut(milestoneItem(milestone), 'attribute_not_exists(pk)')) ? 'ok' : 'exists';
  const versionCondition = expectedVersion === 0 ? '(attribute_not_exists(version) OR version = :v)' : 'version = :v';
  if (
    await conditionalPut(milestoneItem(milestone), `${versionCondition} AND attribute_type(invoicedBy, :null)`, {
      ':v': expectedVersion,
      ':null': 'NULL',
    })
  )
    return 'ok';
  const current = await getMilestone(milestone.projectId, milestone.id);
  if (!current) return 'missing';
  return current.invoicedBy !== null ? 'invoiced' : 'stale';
}

/** A3 (milestones only): the milestones of a project. */
export async function projectMilestones(projectId: string): Promise<StoredMilestone[]> {
  const page = await queryPage<StoredMilestone>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
    ExpressionAttributeValues: { ':p': keys.project(projectId).pk, ':m': 'MILESTONE#' },
    ConsistentRead: true,
  });
  return page.items;
}

/** The setup use cases' port (functions/setup/ports.ts). */
export const setupStore: SetupStore = {
  customer: getCustomer,
  writeCustomer,
  project: getProject,
  writeProject,
  transaction: getTransaction,
  writeTransaction,
  milestone: getMilestone,
  writeMilestone,
  putNewTransaction,
};
