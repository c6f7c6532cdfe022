import { GetCommand, QueryCommand, TransactWriteCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { frequencyGroup, type Project } from '../../domain/index.ts';
import { documents, tableName } from './client.ts';
import { index, keys, TRANSACTIONS } from './keys.ts';
import { withoutKeys, type CustomerRecord, type MilestoneRecord, type ProjectRecord } from './items.ts';

/** Customers, projects (with their invoice frequency and contract lines), milestones and frequency groups. */

export async function putCustomer(customer: CustomerRecord): Promise<void> {
  await documents.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.customer(customer.id),
              entity: 'Customer',
              ...customer,
              gsi1pk: 'CUSTOMERS',
              gsi1sk: `${customer.name.toLowerCase()}#${customer.id}`,
            },
          },
        },
      ],
    }),
  );
}

/** Writes a project and registers its frequency group (A4), in one transaction. */
export async function putProject(project: ProjectRecord): Promise<void> {
  const group = frequencyGroup(project.frequency);
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
}

export async function putMilestone(milestone: MilestoneRecord): Promise<void> {
  await documents.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.milestone(milestone.projectId, milestone.id),
              entity: 'Milestone',
              ...milestone,
              ...(milestone.invoicedBy === null
                ? { gsi1pk: index.readyMilestones(milestone.projectId), gsi1sk: `${milestone.date}#${milestone.id}` }
                : {}),
            },
          },
        },
      ],
    }),
  );
}

export interface BillingContext {
  readonly record: ProjectRecord;
  /** The project as the domain builds invoices from it, with a snapshot of its customer. */
  readonly project: Project;
  readonly milestones: readonly MilestoneRecord[];
}

/** A3 plus the customer: everything about a project that building its invoice needs, except transactions. */
export async function billingContext(projectId: string): Promise<BillingContext | undefined> {
  const items = await queryAll({
    TableName: tableName(),
    // The project and its milestones sort before its transactions (`TX#...`), which this does not read.
    KeyConditionExpression: 'pk = :pk AND sk < :transactions',
    ExpressionAttributeValues: { ':pk': keys.project(projectId).pk, ':transactions': TRANSACTIONS },
    ConsistentRead: true,
  });
  const projectItem = items.find((item) => item.sk === 'PROJECT');
  if (!projectItem) return undefined;
  const record = withoutKeys<ProjectRecord>(projectItem);
  const { Item: customerItem } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.customer(record.customerId), ConsistentRead: true }),
  );
  if (!customerItem) throw new Error(`Project ${projectId} names customer ${record.customerId}, which does not exist`);
  const {
    id: _id,
    version: _version,
    paymentTermsDays: customerTerms,
    ...customer
  } = withoutKeys<CustomerRecord>(customerItem);
  // the project's own terms win; else the customer's; else the domain's default
  const paymentTermsDays = record.paymentTermsDays ?? customerTerms ?? undefined;
  return {
    record,
    project: {
      id: record.id,
      currency: record.currency,
      customer,
      contractLines: record.contractLines,
      ...(paymentTermsDays !== undefined ? { paymentTermsDays } : {}),
      buyerReference: record.buyerReference ?? null,
    },
    milestones: items
      .filter((item) => String(item.sk).startsWith('MILESTONE#'))
      .map((item) => withoutKeys<MilestoneRecord>(item)),
  };
}

export interface FrequencyGroupRecord {
  readonly key: string;
  readonly pattern: ProjectRecord['frequency'];
}

/** A4, first half: every frequency group (one item per distinct frequency; a handful). */
export async function frequencyGroups(): Promise<FrequencyGroupRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'FREQUENCIES' },
  });
  return items.map((item) => ({ key: String(item.sk), pattern: item.pattern as ProjectRecord['frequency'] }));
}

/** A4, second half: one page of the projects of a frequency group, with their own frequency. */
export async function projectsInGroup(
  groupKey: string,
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<{ projects: Pick<ProjectRecord, 'id' | 'frequency'>[]; next?: Record<string, unknown> }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :group',
      ExpressionAttributeValues: { ':group': index.frequency(groupKey) },
      ProjectionExpression: 'id, frequency',
      Limit: limit,
      ...(startAfter ? { ExclusiveStartKey: startAfter } : {}),
    }),
  );
  return {
    projects: (page.Items ?? []) as Pick<ProjectRecord, 'id' | 'frequency'>[],
    ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
  };
}

export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The project's printed name and its contract lines' names (A3), frozen with an invoice at Send. */
export async function projectNames(
  projectId: string,
): Promise<{ contractLineNames: Record<string, string>; projectName?: string }> {
  const context = await billingContext(projectId);
  return {
    contractLineNames: Object.fromEntries(
      (context?.record.contractLines ?? []).map((line) => [line.id, line.description]),
    ),
    ...(context?.record.name ? { projectName: context.record.name } : {}),
  };
}
