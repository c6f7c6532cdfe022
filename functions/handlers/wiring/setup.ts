import { setupStore } from '../../adapters/dynamodb/setup-store.ts';
import { importTransactions as importCsv } from '../../setup/import-transactions.ts';
import * as setup from '../../setup/setup.ts';
import type { SetupStore } from '../../setup/ports.ts';
import { bound } from './bound.ts';

/** The setup use cases bound to DynamoDB, under the names the route handlers import. */
const store = (): SetupStore => setupStore;

export const createCustomer = bound(store, setup.createCustomer);
export const changeCustomer = bound(store, setup.changeCustomer);
export const createProject = bound(store, setup.createProject);
export const changeProject = bound(store, setup.changeProject);
export const createTransaction = bound(store, setup.createTransaction);
export const changeTransaction = bound(store, setup.changeTransaction);
export const createMilestone = bound(store, setup.createMilestone);
export const changeMilestone = bound(store, setup.changeMilestone);
export const importTransactions = bound(store, importCsv);
