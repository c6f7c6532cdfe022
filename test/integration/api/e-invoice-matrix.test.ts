/**
 * Issue 12's "Done when" through the API on the local cloud: for each kind of customer (Dutch business, Dutch
 * consumer, Belgian and German business under reverse charge, US business in USD, a JPY and a BHD customer) an
 * invoice with 4-decimal prices and quantities, negative and complimentary lines, every VAT category and
 * `& < > " € é`, then a full and a partial credit note: each is either refused before numbering with a 422 naming
 * the field (the number series unchanged) or issued and delivered, and every UBL produced keeps the EN 16931 and
 * Peppol rules we were found to break. FACTUUR_UBL_OUT=<dir> writes every UBL there, for the official validators.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { EAS_CODES } from '../../../functions/domain/addresses.ts';
import { LABELS } from '../../../functions/documents/labels.ts';
import { cloud, documents, inbox } from '../clients.ts';
import {
  call,
  manualDraft,
  monthlyProjectBody,
  transactionBody,
  archivedDocument,
  settledDelivery,
} from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML of any shape
type Node = Record<string, any>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ['InvoiceLine', 'CreditNoteLine', 'TaxSubtotal', 'Note'].includes(name),
});

const S = { code: 'NL-HIGH', category: 'S', rate: '21' };
const AA = { code: 'NL-LOW', category: 'AA', rate: '9' };
const Z = { code: 'NL-ZERO', category: 'Z', rate: '0' };
const E = { code: 'EXEMPT', category: 'E', rate: '0' };
const K = { code: 'ICL', category: 'K', rate: '0' };
const G = { code: 'EXPORT', category: 'G', rate: '0' };
const O = { code: 'OUTSIDE', category: 'O', rate: '0' };
const SPECIAL = 'Café & <Zoë> "spécial" € 5 é';

interface Scenario {
  readonly name: string;
  readonly customer: Record<string, unknown>;
  readonly currency: string;
  /** The VAT of the lines (a reverse-charge customer's are replaced by AE when the draft is built). */
  readonly taxes: readonly (typeof S)[];
  /** Whether a UBL e-invoice goes with the PDF. */
  readonly eInvoice: boolean;
  readonly buyerReference?: string | null;
}

const nlAddress = {
  lines: ['Keizersgracht 1'],
  postalCode: '1015 CJ',
  city: 'Amsterdam',
  subdivision: null,
  country: 'NL',
};
const scenarios: Scenario[] = [
  {
    name: 'Dutch business',
    customer: {
      postalAddress: nlAddress,
      electronicAddress: { scheme: '0106', identifier: '24354561' },
      taxId: 'NL812345678B01',
      language: 'nl',
    },
    currency: 'EUR',
    taxes: [S, AA, Z, E],
    eInvoice: true,
  },
  {
    name: 'Dutch consumer',
    customer: { postalAddress: nlAddress, electronicAddress: null, taxId: null, language: 'nl' },
    currency: 'EUR',
    taxes: [S, AA],
    eInvoice: false,
    buyerReference: null,
  },
  {
    name: 'Belgian business, reverse charge',
    customer: {
      postalAddress: {
        lines: ['Noorderlaan 147'],
        postalCode: '2030',
        city: 'Antwerpen',
        subdivision: null,
        country: 'BE',
      },
      electronicAddress: { scheme: '0208', identifier: '0123456749' },
      taxId: 'BE0123456749',
      language: 'en',
      reverseCharge: true,
    },
    currency: 'EUR',
    taxes: [S],
    eInvoice: true,
  },
  {
    name: 'German business, reverse charge',
    customer: {
      postalAddress: {
        lines: ['Hauptstraße 5', 'Hinterhaus'],
        postalCode: '10115',
        city: 'Berlin',
        subdivision: null,
        country: 'DE',
      },
      taxId: 'DE123456789',
      language: 'en',
      reverseCharge: true,
    },
    currency: 'EUR',
    taxes: [S],
    eInvoice: true,
  },
  {
    name: 'German business, intra-community supply',
    customer: {
      postalAddress: {
        lines: ['Hauptstraße 5'],
        postalCode: '10115',
        city: 'Berlin',
        subdivision: null,
        country: 'DE',
      },
      taxId: 'DE123456789',
      language: 'en',
    },
    currency: 'EUR',
    taxes: [K],
    eInvoice: true,
  },
  {
    name: 'US business, USD, outside the scope',
    customer: {
      postalAddress: {
        lines: ['500 Boylston Street'],
        postalCode: '02116',
        city: 'Boston',
        subdivision: 'MA',
        country: 'US',
      },
      electronicAddress: { scheme: '0088', identifier: '4012345000009' },
      taxId: null,
      language: 'en',
    },
    currency: 'USD',
    taxes: [O],
    eInvoice: true,
  },
  {
    name: 'US business, USD, export',
    customer: {
      postalAddress: {
        lines: ['500 Boylston Street'],
        postalCode: '02116',
        city: 'Boston',
        subdivision: 'MA',
        country: 'US',
      },
      electronicAddress: null,
      taxId: null,
      language: 'en',
    },
    currency: 'USD',
    taxes: [G],
    eInvoice: false,
    buyerReference: null,
  },
  {
    name: 'JPY customer',
    customer: {
      postalAddress: {
        lines: ['1-1 Marunouchi'],
        postalCode: '100-0005',
        city: 'Tokyo',
        subdivision: null,
        country: 'JP',
      },
      electronicAddress: { scheme: '0088', identifier: '4012345000009' },
      taxId: null,
      language: 'en',
    },
    currency: 'JPY',
    taxes: [S],
    eInvoice: true,
  },
  {
    name: 'BHD customer',
    customer: {
      postalAddress: { lines: ['Road 1702'], postalCode: '317', city: 'Manama', subdivision: null, country: 'BH' },
      electronicAddress: { scheme: '0088', identifier: '4012345000009' },
      taxId: null,
      language: 'en',
    },
    currency: 'BHD',
    taxes: [S],
    eInvoice: false,
  },
];

const out = process.env.FACTUUR_UBL_OUT;
function keep(name: string, xml: string): void {
  if (!out) return;
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/${name.replace(/[^A-Za-z0-9-]+/g, '_')}.xml`, xml);
}

async function documentBytes(path: string): Promise<{ status: number; bytes: Buffer }> {
  const { status, bytes } = await archivedDocument(path);
  return { status, bytes };
}

/** The rules the official validators found broken, checked on every UBL the API produced. */
function checkUbl(xml: string, kind: 'Invoice' | 'CreditNote'): Node {
  const doc = parser.parse(xml) as Node;
  const root = doc[kind] as Node;
  expect(root, `a ${kind}`).toBeDefined();
  expect(root.Note?.length ?? 0).toBeLessThanOrEqual(1); // PEPPOL-EN16931-R002
  for (const party of [root.AccountingSupplierParty.Party, root.AccountingCustomerParty.Party])
    expect(EAS_CODES.has(party.EndpointID['@schemeID'])).toBe(true); // PEPPOL-EN16931-CL008
  expect(root.BuyerReference ?? root.OrderReference?.ID).toBeDefined(); // PEPPOL-EN16931-R003
  const lines = (root.InvoiceLine ?? root.CreditNoteLine) as Node[];
  const allO = lines.every((l) => l.Item.ClassifiedTaxCategory.ID === 'O');
  if (allO) {
    expect(root.AccountingSupplierParty.Party.PartyTaxScheme).toBeUndefined(); // BR-O-02
    expect(root.AccountingCustomerParty.Party.PartyTaxScheme).toBeUndefined();
  }
  for (const l of lines) {
    if (l.Item.ClassifiedTaxCategory.ID === 'O') expect(l.Item.ClassifiedTaxCategory.Percent).toBeUndefined(); // BR-O-05
    expect(Number(l.Price.PriceAmount['#text'])).toBeGreaterThanOrEqual(0); // BR-27
    expect(l.LineExtensionAmount['#text']).toMatch(/^-?\d+(\.\d{1,2})?$/); // BR-DEC-23
  }
  for (const s of root.TaxTotal.TaxSubtotal as Node[]) {
    const c = s.TaxCategory;
    if (['AE', 'K', 'G', 'O', 'E'].includes(c.ID))
      expect(c.TaxExemptionReason ?? c.TaxExemptionReasonCode).toBeDefined();
    if (c.ID === 'K') expect(root.Delivery.DeliveryLocation.Address.Country.IdentificationCode).toBeDefined(); // BR-IC-12
  }
  // NL-R-004: the buyer's address from its structured fields, never parsed from text.
  expect(root.AccountingCustomerParty.Party.PostalAddress.Country.IdentificationCode).toMatch(/^[A-Z]{2}$/);
  return root;
}

/** Point 8 on every PDF the API produced: page n of N, the project's name (not its id), the document's own date
 * label, type labels and the VAT mention in the customer's language. */
async function checkPdf(
  bytes: Buffer,
  doc: { kind: 'Invoice' | 'CreditNote'; projectId: string },
  scenario: Scenario,
): Promise<void> {
  const lang = scenario.customer.language === 'en' ? 'en' : 'nl';
  const t = LABELS[lang];
  const { text: pages } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: false });
  pages.forEach((page, i) => {
    expect(page).toContain(t.page(i + 1, pages.length));
  });
  const text = pages.join('\n').replace(/\s+/g, ' '); // wrapped lines joined
  expect(text).toContain(`${t.project}: Project ${SPECIAL}`);
  expect(text).not.toContain(doc.projectId);
  expect(text).toContain(`${doc.kind === 'CreditNote' ? t.creditNoteDate : t.issueDate}:`);
  expect(text).not.toContain(`${doc.kind === 'CreditNote' ? t.issueDate : t.creditNoteDate}:`);
  expect(text).toContain(`Advies — ${t.lineType.time}`);
  const reverseCharge = scenario.customer.reverseCharge === true;
  const categories = reverseCharge ? ['AE'] : scenario.taxes.map((x) => x.category);
  // a partial credit note holds one detail: the mentions are checked on the invoices
  for (const category of doc.kind === 'Invoice' ? categories : []) {
    const mention = t.rateMention(category as 'AE');
    if (mention !== null) expect(text, category).toContain(mention);
  }
}

async function seriesLast(kind: 'INV' | 'CN'): Promise<number> {
  const year = new Date().getUTCFullYear();
  const { Item } = await documents.send(
    new GetCommand({
      TableName: cloud.tableName,
      Key: { pk: `SERIES#${kind}#${year}`, sk: 'SERIES' },
      ConsistentRead: true,
    }),
  );
  return typeof Item?.last === 'number' ? Item.last : 0;
}

async function customerAndProject(scenario: Scenario, taxes: readonly (typeof S)[]) {
  const suffix = randomUUID().slice(0, 8);
  const customer = await call('POST', '/customers', {
    as: 'admin',
    body: {
      id: `c-${suffix}`,
      name: `${scenario.name} ${SPECIAL}`,
      email: `ap-${suffix}@example.com`,
      ...scenario.customer,
    },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const project = await call('POST', '/projects', {
    as: 'admin',
    body: {
      ...monthlyProjectBody(suffix, `Project ${SPECIAL}`),
      currency: scenario.currency,
      buyerReference: scenario.buyerReference === undefined ? `PO & <${suffix}>` : scenario.buyerReference,
    },
  });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const decimals = scenario.currency === 'JPY' ? '' : '.1234';
  const bodies = [
    ...taxes.map((tax, i) => ({ quantity: '1.2345', unitPrice: `95${decimals}`, tax, description: `${SPECIAL} ${i}` })),
    { quantity: '2.5', unitPrice: `12${decimals}`, tax: taxes[0], billingType: 'complimentary', description: 'Gratis' },
    {
      quantity: '1',
      unitPrice: `-10${scenario.currency === 'JPY' ? '' : '.5'}`,
      tax: taxes[0],
      description: 'Korting',
    },
  ];
  for (const [i, body] of bodies.entries()) {
    const created = await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(`p-${suffix}`, `t-${suffix}-${i}`, `2026-10-0${i + 1}`, {
        ...body,
        printedDescription: body.description,
      }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  return { customerId: `c-${suffix}`, projectId: `p-${suffix}` };
}

describe('every invoice the rules allow is issued, delivered and accepted', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: invoice, full and partial credit note`, { timeout: 120_000 }, async () => {
      const documentsKept: { kind: 'Invoice' | 'CreditNote'; id: string; number: string; projectId: string }[] = [];
      for (const round of ['full', 'partial'] as const) {
        const { projectId } = await customerAndProject(scenario, scenario.taxes);
        const draft = await manualDraft(projectId);
        const sent = await call('POST', `/invoices/${draft.invoice.id}/send`, {
          as: 'billing',
          ifMatch: Number(draft.etag.replaceAll('"', '')),
        });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        const issued = sent.body.invoice;
        expect(await settledDelivery(issued.id)).toMatchObject({
          status: 'sent',
          eInvoice: { attached: scenario.eInvoice, reason: scenario.eInvoice ? null : expect.any(String) },
        });
        documentsKept.push({ kind: 'Invoice', id: issued.id, number: issued.number, projectId });
        const details = await call('GET', `/invoices/${issued.id}/details`, { as: 'viewer' });
        const detail = details.body.items.find((d: { net: number }) => d.net > 0);
        const credited = await call('POST', `/invoices/${issued.id}/credit-notes`, {
          as: 'billing',
          ifMatch: issued.version,
          body: round === 'full' ? { full: true } : { details: [{ detailId: detail.id, quantity: '0.5' }] },
        });
        expect(credited.status, JSON.stringify(credited.body)).toBe(201);
        documentsKept.push({
          kind: 'CreditNote',
          id: credited.body.creditNote.id,
          number: credited.body.creditNote.number,
          projectId,
        });
      }
      const emails = await inbox();
      for (const doc of documentsKept) {
        const pdf = await documentBytes(`/invoices/${doc.id}/pdf`);
        expect(pdf.status).toBe(200);
        expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
        await checkPdf(pdf.bytes, doc, scenario);
        const ubl = await documentBytes(`/invoices/${doc.id}/ubl`);
        const email = emails.find((e) => e.subject.includes(doc.number));
        if (doc.kind === 'Invoice') {
          expect(email, `the e-mail of ${doc.number}`).toBeDefined();
          const types = email!.attachments.map((a) => a.contentType).sort();
          expect(types).toEqual(scenario.eInvoice ? ['application/pdf', 'application/xml'] : ['application/pdf']);
          const attachedPdf = email!.attachments.find((a) => a.contentType === 'application/pdf')!;
          expect(Buffer.from(attachedPdf.content, 'base64').equals(pdf.bytes)).toBe(true);
        }
        if (!scenario.eInvoice) {
          expect(ubl.status).toBe(404);
          continue;
        }
        expect(ubl.status).toBe(200);
        const xml = ubl.bytes.toString('utf8');
        keep(`${scenario.name}-${doc.number}`, xml);
        const root = checkUbl(xml, doc.kind);
        expect(root.ID).toBe(doc.number);
        if (doc.kind === 'Invoice') {
          const lines = root.InvoiceLine as Node[];
          if (scenario.currency !== 'JPY') expect(lines[0]!.Price.PriceAmount['#text']).toBe('95.1234');
          expect(lines[0]!.InvoicedQuantity['#text']).toBe('1.2345');
          expect(lines[0]!.Item.Name).toContain('Café & <Zoë> "spécial" € 5 é');
        }
      }
    });
  }

  it('refuses before numbering, naming the field, with the series unchanged', { timeout: 120_000 }, async () => {
    const legacy = await customerAndProject(scenarios[0]!, [S]);
    // An old customer with only its free-text address (as stored before structured addresses).
    await documents.send(
      new UpdateCommand({
        TableName: cloud.tableName,
        Key: { pk: `CUSTOMER#${legacy.customerId}`, sk: 'CUSTOMER' },
        UpdateExpression: 'SET address = :a REMOVE postalAddress',
        ExpressionAttributeValues: { ':a': 'Keizersgracht 1\n1015 CJ Amsterdam' },
      }),
    );
    const mixed = await customerAndProject(scenarios[5]!, [O, S]);
    const noReference = await customerAndProject({ ...scenarios[0]!, buyerReference: null }, [S]);
    for (const [project, field] of [
      [legacy, 'address'],
      [mixed, /^details\[\d+\]\.tax\.category$/],
      [noReference, 'buyerReference'],
    ] as const) {
      const draft = await manualDraft(project.projectId);
      const before = await seriesLast('INV');
      const refused = await call('POST', `/invoices/${draft.invoice.id}/send`, {
        as: 'billing',
        ifMatch: Number(draft.etag.replaceAll('"', '')),
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.field).toMatch(field);
      expect(await seriesLast('INV')).toBe(before);
      const still = await call('GET', `/invoices/${draft.invoice.id}`, { as: 'viewer' });
      expect(still.body).toMatchObject({ status: 'draft', number: null });
    }
    // The old customer still reads as before, with its free text.
    const read = await call('GET', `/customers/${legacy.customerId}`, { as: 'viewer' });
    expect(read.body.address).toBe('Keizersgracht 1\n1015 CJ Amsterdam');
  });

  it('validates addresses per field on the customers API (problem+json naming the field, nothing stored)', async () => {
    const id = `c-${randomUUID().slice(0, 8)}`;
    for (const [patch, field] of [
      [{ postalAddress: { ...nlAddress, country: 'XX' } }, 'postalAddress.country'],
      [{ postalAddress: { ...nlAddress, postalCode: '10' } }, 'postalAddress.postalCode'],
      [{ electronicAddress: { scheme: 'EM', identifier: 'a@b.example' } }, 'electronicAddress.scheme'],
      [{ electronicAddress: { scheme: '0208', identifier: '0123456789' } }, 'electronicAddress.identifier'],
      [{ electronicAddress: { scheme: '0106', identifier: '123' } }, 'electronicAddress.identifier'],
    ] as const) {
      const response = await call('POST', '/customers', {
        as: 'admin',
        body: {
          id,
          name: 'X',
          email: null,
          taxId: null,
          language: 'nl',
          postalAddress: nlAddress,
          ...(patch as Record<string, unknown>),
        },
      });
      expect([400, 422]).toContain(response.status);
      expect(response.body.field ?? '').toContain(field.split('.')[0]);
      if (response.status === 422) expect(response.body.field).toBe(field);
      expect((await call('GET', `/customers/${id}`, { as: 'viewer' })).status).toBe(404);
    }
  });
});
