import { setupStore } from '../../adapters/dynamodb/setup-store.ts';
import { importTransactions as importCsv } from '../../setup/import-transactions.ts';
import * as setup from '../../setup/setup.ts';
import type { SetupStore } from '../../setup/ports.ts';

/** The setup use cases bound to DynamoDB, under the names the route handlers import. */
function bound<A extends unknown[], R>(useCase: (store: SetupStore, ...args: A) => R): (...args: A) => R {
  return (...args) => useCase(setupStore, ...args);
}

export const createCustomer = bound(setup.createCustomer);
export const changeCustomer = bound(setup.changeCustomer);
export const createProject = bound(setup.createProject);
export const changeProject = bound(setup.changeProject);
export const createTransaction = bound(setup.createTransaction);
export const changeTransaction = bound(setup.changeTransaction);
export const createMilestone = bound(setup.createMilestone);
export const changeMilestone = bound(setup.changeMilestone);
export const importTransactions = bound(importCsv);
