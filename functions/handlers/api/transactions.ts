import { keys, TRANSACTIONS } from '../../adapters/dynamodb/keys.ts';
import { getTransaction, projectTransactionsPage } from '../../adapters/dynamodb/setup-store.ts';
import { changeTransaction, createTransaction, importTransactions } from '../wiring/setup.ts';
import type { CsvLocale } from '../../setup/transaction-csv.ts';
import { decodeCursor, encodeCursor, httpApi, limitOf, notFound } from '../../shared/http-api.ts';
import { commonSchemas } from '../../api/openapi/common.ts';
import {
  recordedWorkOperations,
  recordedWorkSchemas,
  transactionImportOperations,
} from '../../api/openapi/recorded-work.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = {
  operations: { ...transactionImportOperations, ...recordedWorkOperations },
  schemas: { ...recordedWorkSchemas, ...commonSchemas },
};

/** /transactions (one Lambda), and a project's CSV import. */
export const handler = httpApi(contract, {
  'GET /transactions': async (request) => {
    const page = await projectTransactionsPage(
      request.query.projectId as string,
      limitOf(request),
      decodeCursor(request.query.cursor, ['pk', 'sk'], {
        pk: keys.project(request.query.projectId as string).pk,
        sk: (sk) => sk.startsWith(TRANSACTIONS),
      }),
    );
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) } };
  },
  'GET /transactions/{transactionId}': async (request) => {
    const transaction = await getTransaction(request.path.transactionId as string);
    if (!transaction) throw notFound(`transaction ${request.path.transactionId}`);
    return { status: 200, body: transaction, version: transaction.version };
  },
  'POST /transactions': async (request) => {
    const transaction = await createTransaction(request.body as Parameters<typeof createTransaction>[0]);
    return {
      status: 201,
      body: transaction,
      version: transaction.version,
      headers: { location: `/transactions/${transaction.id}` },
    };
  },
  'POST /projects/{projectId}/transactions/import': async (request) => ({
    status: 200,
    body: await importTransactions(
      request.path.projectId as string,
      request.body as { locale: CsvLocale; csv: string },
    ),
  }),
  'PUT /transactions/{transactionId}': async (request) => {
    const transaction = await changeTransaction(
      request.path.transactionId as string,
      request.ifMatch(),
      request.body as Parameters<typeof createTransaction>[0],
    );
    return { status: 200, body: transaction, version: transaction.version };
  },
});
