import { randomUUID } from 'node:crypto';
import {
  assertDecimal,
  isEuVatNumber,
  isSupportedCurrency,
  validateFrequency,
  validateElectronicAddress,
  validatePostalAddress,
  validateTaxRate,
  ValidationFailed,
  type TaxRate,
} from '../domain/index.ts';
import { Conflict, NotFound, StaleVersion } from '../shared/errors.ts';
import type {
  CustomerRecord,
  ProjectRecord,
  SetupStore,
  StoredMilestone,
  TransactionRecord,
  WriteOutcome,
} from './ports.ts';

/** Setup data use cases (admin): customers, projects, transactions, milestones; the domain validates the values. */
const newId = (prefix: string) => `${prefix}-${randomUUID()}`;

type CustomerInput = Omit<CustomerRecord, 'id' | 'version'> & { id?: string };

/**
 * A customer's addresses, validated per field: the structured postal address (required on every write; old customers
 * keep their free-text `address` until an admin completes it) and the electronic address (Peppol id) when given.
 */
function validCustomer(input: CustomerInput): CustomerInput {
  const postalAddress = validatePostalAddress(input.postalAddress, 'postalAddress');
  const electronicAddress =
    input.electronicAddress === undefined || input.electronicAddress === null
      ? null
      : validateElectronicAddress(input.electronicAddress, 'electronicAddress');
  if (input.reverseCharge === true && !(input.taxId && isEuVatNumber(input.taxId)))
    throw new ValidationFailed('taxId', 'a reverse-charge customer needs a valid EU VAT number');
  return { ...input, postalAddress, electronicAddress };
}

export async function createCustomer(store: SetupStore, input: CustomerInput): Promise<CustomerRecord> {
  const { id, ...rest } = validCustomer(input);
  const customer: CustomerRecord = { ...rest, id: id ?? newId('c'), version: 1 };
  if (!(await store.writeCustomer(customer, 'new'))) throw new Conflict(`customer ${customer.id} exists already`);
  return customer;
}

export async function changeCustomer(
  store: SetupStore,
  id: string,
  expectedVersion: number,
  input: CustomerInput,
): Promise<CustomerRecord> {
  const current = await store.customer(id);
  if (!current) throw new NotFound(`customer ${id}`);
  if (current.version !== expectedVersion) throw new StaleVersion(current.version, 'customer');
  const { id: _id, ...rest } = validCustomer(input);
  const customer: CustomerRecord = { ...rest, id, version: expectedVersion + 1 };
  if (!(await store.writeCustomer(customer, expectedVersion)))
    throw new StaleVersion((await store.customer(id))?.version ?? null, 'customer');
  return customer;
}

type ProjectInput = Omit<ProjectRecord, 'id' | 'version'> & { id?: string };

async function validProject(store: SetupStore, input: ProjectInput): Promise<Omit<ProjectInput, 'id'>> {
  if (!isSupportedCurrency(input.currency))
    throw new ValidationFailed('currency', `unsupported currency ${input.currency}`);
  const frequency = validateFrequency(input.frequency);
  if (!(await store.customer(input.customerId)))
    throw new ValidationFailed('customerId', `no customer ${input.customerId}`);
  const ids = new Set<string>();
  input.contractLines.forEach((line, i) => {
    if (ids.has(line.id)) throw new ValidationFailed(`contractLines[${i}].id`, 'duplicate contract line id');
    ids.add(line.id);
    if (line.billingMethod === 'fixed_price' && line.notToExceed !== undefined && line.notToExceed !== null) {
      throw new ValidationFailed(
        `contractLines[${i}].notToExceed`,
        'only time and material lines have a not-to-exceed limit',
      );
    }
  });
  const { id: _id, ...rest } = input;
  return { ...rest, frequency };
}

export async function createProject(store: SetupStore, input: ProjectInput): Promise<ProjectRecord> {
  const project: ProjectRecord = { ...(await validProject(store, input)), id: input.id ?? newId('p'), version: 1 };
  if (!(await store.writeProject(project, 'new'))) throw new Conflict(`project ${project.id} exists already`);
  return project;
}

export async function changeProject(
  store: SetupStore,
  id: string,
  expectedVersion: number,
  input: ProjectInput,
): Promise<ProjectRecord> {
  const current = await store.project(id);
  if (!current) throw new NotFound(`project ${id}`);
  if (current.version !== expectedVersion) throw new StaleVersion(current.version, 'project');
  if (input.currency !== current.currency)
    throw new ValidationFailed('currency', 'the currency of a project does not change');
  const project: ProjectRecord = { ...(await validProject(store, input)), id, version: expectedVersion + 1 };
  if (!(await store.writeProject(project, expectedVersion)))
    throw new StaleVersion((await store.project(id))?.version ?? null, 'project');
  return project;
}

function outcomeProblem(outcome: WriteOutcome, what: string, current: () => Promise<number | null>): Promise<never> {
  return (async () => {
    if (outcome === 'missing') throw new NotFound(what);
    if (outcome === 'exists') throw new Conflict(`${what} exists already`);
    if (outcome === 'invoiced')
      throw new Conflict(`${what} is on an invoice (reserved or billed) and can no longer be changed`);
    throw new StaleVersion(await current(), what);
  })();
}

type TransactionInput = Omit<TransactionRecord, 'id' | 'version' | 'billingState' | 'reservedBy'> & { id?: string };

async function validTransaction(store: SetupStore, input: TransactionInput, field = ''): Promise<void> {
  const project = await store.project(input.projectId);
  if (!project) throw new ValidationFailed(`${field}projectId`, `no project ${input.projectId}`);
  if (!project.contractLines.some((line) => line.id === input.contractLineId))
    throw new ValidationFailed(
      'contractLineId',
      `project ${input.projectId} has no contract line ${input.contractLineId}`,
    );
  assertDecimal(input.quantity, 'quantity');
  assertDecimal(input.unitPrice, 'unitPrice');
  validateTaxRate(input.tax as TaxRate, 'tax');
}

export async function createTransaction(store: SetupStore, input: TransactionInput): Promise<TransactionRecord> {
  await validTransaction(store, input);
  const { id, ...rest } = input;
  const transaction: TransactionRecord = {
    ...rest,
    resource: rest.resource ?? null,
    orgUnit: rest.orgUnit ?? null,
    id: id ?? newId('t'),
    version: 1,
    billingState: 'unbilled',
    reservedBy: null,
  };
  const outcome = await store.writeTransaction(transaction, 'new');
  if (outcome !== 'ok') return outcomeProblem(outcome, `transaction ${transaction.id}`, async () => null);
  return transaction;
}

export async function changeTransaction(
  store: SetupStore,
  id: string,
  expectedVersion: number,
  input: TransactionInput,
): Promise<TransactionRecord> {
  const current = await store.transaction(id);
  if (!current) throw new NotFound(`transaction ${id}`);
  if (current.billingState !== 'unbilled')
    throw new Conflict(`transaction ${id} is on an invoice (${current.billingState}) and can no longer be changed`);
  if (current.version !== expectedVersion) throw new StaleVersion(current.version, 'transaction');
  if (input.projectId !== current.projectId)
    throw new ValidationFailed('projectId', 'a transaction does not move to another project');
  await validTransaction(store, input);
  const { id: _id, ...rest } = input;
  const transaction: TransactionRecord = {
    ...rest,
    resource: rest.resource ?? null,
    orgUnit: rest.orgUnit ?? null,
    id,
    version: expectedVersion + 1,
    billingState: 'unbilled',
    reservedBy: null,
  };
  const outcome = await store.writeTransaction(transaction, expectedVersion);
  if (outcome !== 'ok')
    return outcomeProblem(outcome, `transaction ${id}`, async () => (await store.transaction(id))?.version ?? null);
  return transaction;
}

type MilestoneInput = Omit<StoredMilestone, 'id' | 'version' | 'invoicedBy'> & { id?: string };

async function validMilestone(store: SetupStore, input: MilestoneInput): Promise<void> {
  const project = await store.project(input.projectId);
  if (!project) throw new ValidationFailed('projectId', `no project ${input.projectId}`);
  if (!project.contractLines.some((line) => line.id === input.contractLineId))
    throw new ValidationFailed(
      'contractLineId',
      `project ${input.projectId} has no contract line ${input.contractLineId}`,
    );
  validateTaxRate(input.tax, 'tax');
}

export async function createMilestone(store: SetupStore, input: MilestoneInput): Promise<StoredMilestone> {
  await validMilestone(store, input);
  const { id, ...rest } = input;
  const milestone: StoredMilestone = { ...rest, id: id ?? newId('m'), version: 1, invoicedBy: null };
  const outcome = await store.writeMilestone(milestone, 'new');
  if (outcome !== 'ok') return outcomeProblem(outcome, `milestone ${milestone.id}`, async () => null);
  return milestone;
}

export async function changeMilestone(
  store: SetupStore,
  id: string,
  expectedVersion: number,
  input: MilestoneInput,
): Promise<StoredMilestone> {
  const current = await store.milestone(input.projectId, id);
  if (!current) throw new NotFound(`milestone ${id} of project ${input.projectId}`);
  if (current.invoicedBy !== null)
    throw new Conflict(`milestone ${id} is on invoice ${current.invoicedBy} and can no longer be changed`);
  if ((current.version ?? 0) !== expectedVersion) throw new StaleVersion(current.version ?? 0, 'milestone');
  await validMilestone(store, input);
  const { id: _id, ...rest } = input;
  const milestone: StoredMilestone = { ...rest, id, version: expectedVersion + 1, invoicedBy: null };
  const outcome = await store.writeMilestone(milestone, expectedVersion);
  if (outcome !== 'ok')
    return outcomeProblem(
      outcome,
      `milestone ${id}`,
      async () => (await store.milestone(input.projectId, id))?.version ?? null,
    );
  return milestone;
}
