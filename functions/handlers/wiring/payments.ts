import { bankStatements, settlementItems } from '../../adapters/dynamodb/bank-statements-store.ts';
import { paymentLookups } from '../../adapters/dynamodb/bank-entry-lookups.ts';
import { firmProfile } from '../../adapters/dynamodb/firm-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { getCustomer } from '../../adapters/dynamodb/setup-store.ts';
import { recordBankPayment } from './invoices.ts';
import { assignBankEntry as assign } from '../../payments/assign-entry.ts';
import type { Actor, PaymentPorts } from '../../payments/ports.ts';
import { statementView as view } from '../../payments/statement-view.ts';

/**
 * The payment use cases bound to DynamoDB: the statements and lookups adapters, the invoices' bank-payment use case
 * (its opaque `alsoWrite` items are the settlement's transaction items, so line and payment are one transaction).
 */
export const paymentPorts: PaymentPorts = {
  statements: bankStatements,
  lookups: paymentLookups,
  invoices: {
    header: invoiceHeader,
    async recordBankPayment(invoiceId, payment, actor, now, settle) {
      const outcome = await recordBankPayment(invoiceId, payment, actor, now, (applied, unapplied, header) =>
        settlementItems(settle(applied, unapplied, header)),
      );
      return outcome.kind;
    },
  },
  firmIban: async () => (await firmProfile()).iban,
  customerExists: async (customerId) => (await getCustomer(customerId)) !== undefined,
};

/**
 * Adopted: the import use case (with the CAMT.053 reader and fast-xml-parser) is loaded on the first import, not
 * when the function starts: esbuild keeps it in the bundle but runs its module code only then, so the other routes
 * of /bank-statements (the lists, the match report, an assignment) start without it (bench/bundles.ts).
 */
export const importBankStatement = async (xml: string, actor: Actor, now: Date) =>
  (await import('../../payments/bank-statements.ts')).importBankStatement(paymentPorts, xml, actor, now);
export const statementView = (statementId: string) => view(paymentPorts, statementId);
export const assignBankEntry = (
  entryId: string,
  target: { readonly invoiceId?: string; readonly customerId?: string },
  actor: Actor,
  now: Date,
) => assign(paymentPorts, entryId, target, actor, now);
