import {
  change,
  closed,
  create,
  date,
  id,
  list,
  nullable,
  obj,
  type Operations,
  page,
  paged,
  path,
  query,
  readOne,
  ref,
  type Schemas,
  str,
  withId,
} from './schema.ts';

/** Setup (functions/setup): the firm's settings, customers and projects with their frequencies and run dates. */
const customerInput = closed(
  {
    name: str({ minLength: 1, maxLength: 200 }),
    address: str({
      minLength: 1,
      maxLength: 1000,
      description: 'Legacy free-text address (read only on old customers)',
      'x-multiline': true,
    }),
    postalAddress: ref('PostalAddress'),
    electronicAddress: nullable(ref('ElectronicAddress')),
    email: nullable(str({ format: 'email', maxLength: 254 })),
    taxId: nullable(str({ minLength: 1, maxLength: 32 })),
    language: str({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
    reverseCharge: { type: 'boolean' },
    paymentTermsDays: nullable({
      type: 'integer',
      minimum: 0,
      maximum: 365,
      description: "Default payment terms of the customer's projects (a project's own terms win)",
    }),
  },
  ['name', 'postalAddress', 'email', 'taxId', 'language'],
);

const projectInput = closed(
  {
    name: str({ minLength: 1, maxLength: 200 }),
    customerId: id,
    currency: str({ pattern: '^[A-Z]{3}$' }),
    orgUnit: nullable(str({ minLength: 1, maxLength: 64 })),
    frequency: { type: 'object', additionalProperties: true },
    contractLines: { type: 'array', items: ref('ContractLine'), minItems: 1, maxItems: 50 },
    paymentTermsDays: nullable({
      type: 'integer',
      minimum: 0,
      maximum: 365,
      description: "Absent or null: the customer's payment terms (else 30 days) apply to the project's invoices",
    }),
    buyerReference: nullable(str({ minLength: 1, maxLength: 100 })),
  },
  ['name', 'customerId', 'currency', 'orgUnit', 'frequency', 'contractLines'],
);

export const setupSchemas: Schemas = {
  Settings: obj(
    {
      reviewBeforeSend: { type: 'boolean' },
      timeZone: str({ description: "The firm's IANA time zone (read only): the dates are the firm's calendar dates" }),
    },
    ['reviewBeforeSend', 'timeZone'],
  ),
  SettingsChange: closed({ reviewBeforeSend: { type: 'boolean' } }, [], { minProperties: 1 }),
  PostalAddress: closed(
    {
      lines: { type: 'array', items: str({ minLength: 1, maxLength: 100 }), minItems: 1, maxItems: 3 },
      postalCode: nullable(str({ minLength: 1, maxLength: 16 })),
      city: str({ minLength: 1, maxLength: 100 }),
      subdivision: nullable(str({ minLength: 1, maxLength: 100 })),
      country: str({ pattern: '^[A-Z0-9]{2}$', description: 'ISO 3166-1 alpha-2' }),
    },
    ['lines', 'postalCode', 'city', 'subdivision', 'country'],
  ),
  ElectronicAddress: closed(
    {
      scheme: str({ pattern: '^\\d{4}$', description: 'Peppol EAS code, e.g. 0106 (KvK), 0208 (KBO)' }),
      identifier: str({ minLength: 1, maxLength: 50 }),
    },
    ['scheme', 'identifier'],
  ),
  CustomerInput: customerInput,
  Customer: obj(
    {
      id: str(),
      name: str(),
      address: str(),
      postalAddress: nullable(ref('PostalAddress')),
      electronicAddress: nullable(ref('ElectronicAddress')),
      email: nullable(str()),
      taxId: nullable(str()),
      language: str(),
      reverseCharge: { type: 'boolean' },
      paymentTermsDays: nullable({ type: 'integer' }),
      version: { type: 'integer' },
    },
    ['id', 'name', 'version'],
  ),
  ContractLine: closed(
    {
      id,
      description: str({ minLength: 1, maxLength: 200 }),
      billingMethod: { enum: ['time_and_material', 'fixed_price'] },
      notToExceed: nullable({ type: 'integer', minimum: 0, maximum: 9007199254740991 }),
    },
    ['id', 'description', 'billingMethod'],
  ),
  ProjectInput: projectInput,
  Project: obj(
    {
      id: str(),
      name: str(),
      customerId: str(),
      currency: str(),
      orgUnit: nullable(str()),
      frequency: { type: 'object', additionalProperties: true },
      contractLines: { type: 'array', items: obj({ id: str(), description: str(), billingMethod: str() }, ['id']) },
      buyerReference: nullable(str()),
      paymentTermsDays: nullable({ type: 'integer' }),
      version: { type: 'integer' },
    },
    ['id', 'name', 'customerId', 'currency', 'version'],
  ),
  RunDate: obj({ runDate: date, cutOff: date }, ['runDate', 'cutOff']),
  CustomerCreate: withId(customerInput),
  ProjectCreate: withId(projectInput),
  CustomerPage: page('Customer'),
  ProjectPage: page('Project'),
  RunDateList: list('RunDate'),
};

export const settingsOperations: Operations = {
  'GET /settings': { summary: "The firm's settings", success: [200, 'Settings'] },
  'PATCH /settings': {
    summary: "Change the firm's settings (review before sending)",
    body: 'SettingsChange',
    success: [200, 'Settings'],
  },
};

const customerId = path('customerId');
const projectId = path('projectId');

export const customerAndProjectOperations: Operations = {
  'GET /customers': paged('Customers by name', [], 'CustomerPage'),
  'POST /customers': create('Create a customer', 'CustomerCreate', 'Customer'),
  'GET /customers/{customerId}': readOne('A customer', customerId, 'Customer'),
  'PUT /customers/{customerId}': change('Change a customer', [customerId], 'CustomerInput', 'Customer'),
  'GET /projects': paged('Projects by name', [], 'ProjectPage'),
  'POST /projects': create('Create a project', 'ProjectCreate', 'Project'),
  'GET /projects/{projectId}': readOne('A project', projectId, 'Project'),
  'PUT /projects/{projectId}': change('Change a project', [projectId], 'ProjectInput', 'Project'),
  'GET /projects/{projectId}/run-dates': {
    summary: "A project's coming run dates with their cut-offs",
    parameters: [projectId, query('from', date, true), query('to', date, true)],
    success: [200, 'RunDateList'],
  },
};
