import { statementsPage } from '../../adapters/dynamodb/bank-statements-store.ts';
import { StatementRefused } from '../../payments/camt053.ts';
import { assignBankEntry, importBankStatement, statementView } from '../wiring/payments.ts';
import {
  decodeCursor,
  encodeCursor,
  HttpProblem,
  httpApi,
  limitOf,
  problemType,
  type ApiRequest,
} from '../../shared/http-api.ts';

/** /bank-statements and /bank-entries (one Lambda): CAMT.053 import, match reports, assignment of entries. */
import { index } from '../../adapters/dynamodb/keys.ts';

const INDEX_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });

export const handler = httpApi({
  'POST /bank-statements': async (request) => {
    try {
      const { created, view } = await importBankStatement(request.rawBody, actor(request), request.now);
      return { status: created ? 201 : 200, body: view };
    } catch (error) {
      if (error instanceof StatementRefused)
        throw new HttpProblem({
          type: problemType(error.status === 413 ? 'too-large' : 'invalid-statement'),
          title:
            error.status === 413 ? 'Content Too Large' : error.status === 400 ? 'Bad Request' : 'Unprocessable Content',
          status: error.status,
          field: 'body',
          detail: error.message,
        });
      throw error;
    }
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
