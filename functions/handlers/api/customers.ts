import { customersPage, getCustomer } from '../../adapters/dynamodb/setup-store.ts';
import { changeCustomer, createCustomer } from '../wiring/setup.ts';
import { decodeCursor, encodeCursor, httpApi, limitOf, notFound } from '../../shared/http-api.ts';
import { customerAndProjectOperations, setupSchemas } from '../../api/openapi/setup.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: customerAndProjectOperations, schemas: setupSchemas };

/** /customers (one Lambda). */
export const handler = httpApi(contract, {
  'GET /customers': async (request) => {
    const page = await customersPage(
      limitOf(request),
      decodeCursor(request.query.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk: 'CUSTOMERS' }),
    );
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) } };
  },
  'GET /customers/{customerId}': async (request) => {
    const customer = await getCustomer(request.path.customerId as string);
    if (!customer) throw notFound(`customer ${request.path.customerId}`);
    return { status: 200, body: customer, version: customer.version };
  },
  'POST /customers': async (request) => {
    const customer = await createCustomer(request.body as Parameters<typeof createCustomer>[0]);
    return {
      status: 201,
      body: customer,
      version: customer.version,
      headers: { location: `/customers/${customer.id}` },
    };
  },
  'PUT /customers/{customerId}': async (request) => {
    const customer = await changeCustomer(
      request.path.customerId as string,
      request.ifMatch(),
      request.body as Parameters<typeof createCustomer>[0],
    );
    return { status: 200, body: customer, version: customer.version };
  },
});
