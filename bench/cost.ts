import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionUsage, InvoiceRunResult } from './invoice-run.ts';

/**
 * Cost on AWS per 1,000 invoices, from what a run counted and bench/prices-eu-west-1.json. Each part is
 * quantity x unit price, scaled to 1,000 invoices: the invoice run (state transitions, Lambda requests and
 * GB-seconds at the configured 1,024 MB, DynamoDB request units) and sending (the Send API call: API Gateway,
 * Lambda, DynamoDB; the outbox sweep: Step Functions, Lambda, DynamoDB, SES messages and their data).
 */
export const lambdaMemoryGb = 1024 / 1024; // infra/constructs/handler-function.ts: memorySize default 1024, arm64

type Prices = Record<string, { usd: number; unit: string; source: string }>;
export interface CostPart {
  readonly part: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly usd: number;
}

export function loadPrices(): { asOf: string; prices: Prices } {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, 'prices-eu-west-1.json'), 'utf8')) as {
    asOf: string;
    prices: Prices;
  };
}

/** The states of the invoice run's per-batch child workflow (the Distributed Map's ItemProcessor), from the ASL. */
export function childStates(): string[] {
  const asl = JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', 'workflows', 'invoice-run.asl.json'), 'utf8'),
  );
  return Object.keys(asl.States.ForEachRunDate.ItemProcessor.States.InvoiceDueProjects.ItemProcessor.States);
}

/**
 * Express children of a run: one per batch (each ends in ProjectDone once), their transitions, and their billed
 * duration as an upper bound: all the run's Task time plus 100 ms per child (billing steps), at the 64 MB minimum.
 */
export function expressChildren(usage: ExecutionUsage): {
  children: number;
  childTransitions: number;
  gbSeconds: number;
} {
  const names = new Set(childStates());
  const childTransitions = Object.entries(usage.statesEntered ?? {})
    .filter(([name]) => names.has(name))
    .reduce((sum, [, count]) => sum + count, 0);
  const children = usage.statesEntered?.ProjectDone ?? 0;
  const seconds = usage.lambdaMillis / 1000 + children * 0.1;
  return { children, childTransitions, gbSeconds: seconds * (64 / 1024) };
}

export function costPer1000(
  run: InvoiceRunResult,
  transactionsPerInvoice: number,
): { parts: CostPart[]; totalUsd: number; asOf: string } {
  const { asOf, prices } = loadPrices();
  const parts: CostPart[] = [];
  const add = (part: string, quantity: number, price: string) => {
    const { usd, unit } = prices[price]!;
    parts.push({ part, quantity, unit, unitUsd: usd, usd: quantity * usd });
  };
  const perRun = 1000 / run.invoicesCreated;
  // The run's DynamoDB units grow with the transactions per invoice; scale them to the invoice size asked for.
  const perTransaction = transactionsPerInvoice / run.transactionsPerProject;
  // The per-batch states run as Express children of a Distributed Map on AWS: billed per child (request) and
  // duration, not per transition. The parent is charged a transition per child started as well (an upper bound).
  const express = expressChildren(run.run);
  add(
    'run: Step Functions state transitions (Standard parent)',
    (run.run.stateTransitions - express.childTransitions + express.children) * perRun,
    'stepFunctionsStandardPerStateTransition',
  );
  add('run: Step Functions Express children (requests)', express.children * perRun, 'stepFunctionsExpressPerRequest');
  add(
    'run: Step Functions Express GB-s (64 MB x children duration)',
    express.gbSeconds * perRun,
    'stepFunctionsExpressPerGbSecond',
  );
  add('run: Lambda requests', run.run.lambdaInvocations * perRun, 'lambdaPerRequest');
  add(
    'run: Lambda GB-s (1,024 MB x measured duration)',
    (run.run.lambdaMillis / 1000) * lambdaMemoryGb * perRun,
    'lambdaArmPerGbSecond',
  );
  add(
    'run: DynamoDB write units',
    run.run.dynamodb.writeUnits * perRun * perTransaction,
    'dynamodbOnDemandPerWriteRequestUnit',
  );
  add(
    'run: DynamoDB read units',
    run.run.dynamodb.readUnits * perRun * perTransaction,
    'dynamodbOnDemandPerReadRequestUnit',
  );
  const sending = run.sending;
  if (sending) {
    const perSample = 1000 / sending.invoices;
    // issueInvoice no longer writes per transaction; scaled by details anyway (manual details and milestones still are).
    const perDetail = transactionsPerInvoice / sending.detailsPerInvoice;
    add('send: API Gateway requests', sending.send.invocations * perSample, 'apiGatewayHttpPerRequest');
    add('send: Lambda requests', sending.send.invocations * perSample, 'lambdaPerRequest');
    add('send: Lambda GB-s', (sending.send.lambdaMillis / 1000) * lambdaMemoryGb * perSample, 'lambdaArmPerGbSecond');
    add(
      'send: DynamoDB write units',
      sending.send.dynamodb.writeUnits * perSample * perDetail,
      'dynamodbOnDemandPerWriteRequestUnit',
    );
    add(
      'send: DynamoDB read units',
      sending.send.dynamodb.readUnits * perSample * perDetail,
      'dynamodbOnDemandPerReadRequestUnit',
    );
    add(
      'deliver: Step Functions state transitions',
      sending.deliver.stateTransitions * perSample,
      'stepFunctionsStandardPerStateTransition',
    );
    add('deliver: Lambda requests', sending.deliver.lambdaInvocations * perSample, 'lambdaPerRequest');
    add(
      'deliver: Lambda GB-s (PDF + UBL + MIME)',
      (sending.deliver.lambdaMillis / 1000) * lambdaMemoryGb * perSample,
      'lambdaArmPerGbSecond',
    );
    add(
      'deliver: DynamoDB write units',
      sending.deliver.dynamodb.writeUnits * perSample,
      'dynamodbOnDemandPerWriteRequestUnit',
    );
    add(
      'deliver: DynamoDB read units',
      sending.deliver.dynamodb.readUnits * perSample * perDetail,
      'dynamodbOnDemandPerReadRequestUnit',
    );
    add('deliver: SES messages', sending.deliver.messages * perSample, 'sesPerMessage');
    add('deliver: SES message data (GB)', (sending.deliver.messageBytes / 1e9) * perSample, 'sesPerAttachmentGb');
  }
  return { parts, totalUsd: parts.reduce((sum, part) => sum + part.usd, 0), asOf };
}
