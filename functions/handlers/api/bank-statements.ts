import { statementsPage } from '../../adapters/dynamodb/bank-statements-store.ts';
import { index } from '../../adapters/dynamodb/keys.ts';
import { decodeCursor, encodeCursor, httpApi, limitOf, type ApiRequest } from '../../shared/http-api.ts';
import { assignBankEntry, importBankStatement, statementView } from '../wiring/payments.ts';
import { bankStatementOperations, paymentSchemas } from '../../api/openapi/payments.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/**
 * /bank-statements and /bank-entries (one Lambda): CAMT.053 import, match reports, assignment of entries. A refused
 * document (StatementRefused) becomes its problem in shared/http/problems.ts like every use-case error.
 */

const INDEX_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: bankStatementOperations, schemas: paymentSchemas };

export const handler = httpApi(contract, {
  'POST /bank-statements': async (request) => {
    const { created, view } = await importBankStatement(request.rawBody, actor(request), request.now);
    return { status: created ? 201 : 200, body: view };
  },
  'GET /bank-statements': async (request) => {
    const page = await statementsPage(
      limitOf(request, 20),
      decodeCursor(request.query.cursor, INDEX_KEY, { gsi1pk: index.bankStatements() }),
    );
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) } };
  },
  'GET /bank-statements/{statementId}': async (request) => ({
    status: 200,
    body: await statementView(request.path.statementId as string),
  }),
  'POST /bank-entries/{entryId}/assignment': async (request) => ({
    status: 200,
    body: await assignBankEntry(
      request.path.entryId as string,
      request.body as { invoiceId?: string; customerId?: string },
      actor(request),
      request.now,
    ),
  }),
});
