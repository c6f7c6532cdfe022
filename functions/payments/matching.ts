import { canonicalReference, referencesInText } from '../domain/index.ts';

/**
 * Which invoice a credit entry of a bank statement pays (issue 13, point 3), in this order:
 * 1. a structured reference (CdtrRefInf/Ref) that names an open invoice -> a payment on it;
 * 2. else a reference found in the unstructured text (an RF reference, a Belgian structured communication, or an
 *    invoice number written out) that names an open invoice -> a payment on it;
 * 3. else the amount and the debtor matching exactly one open invoice of one customer -> proposed (a person
 *    confirms). The debtor is the customer of that exact name (case-insensitive) or the customer an earlier payment
 *    from the same account was applied to; the amount is the invoice's open balance;
 * 4. else a reference that names a settled invoice (paid, credited) -> the money is kept as unapplied on that
 *    invoice's customer (the customer paid twice, or late after a credit note);
 * 5. else unmatched (a person assigns it).
 * Pure apart from the lookups it is given (ports), so every rule has a unit test.
 */
export interface MatchingPorts {
  invoiceOfReference(canonical: string): Promise<{ invoiceId: string; customerId: string | null } | undefined>;
  /** True when the invoice takes a payment in this currency now (issued or partially paid, balance > 0). */
  isOpen(invoiceId: string, currency: string): Promise<boolean>;
  customersOfDebtor(name: string | null, iban: string | null): Promise<string[]>;
  openInvoicesWithBalance(customerId: string, currency: string, balance: number): Promise<string[]>;
}

export interface EntryToMatch {
  readonly minor: number;
  readonly currency: string;
  readonly structuredReferences: readonly string[];
  readonly unstructured: string;
  readonly debtorName: string | null;
  readonly debtorIban: string | null;
}

export type Match =
  | {
      readonly kind: 'payment';
      readonly invoiceId: string;
      readonly customerId: string | null;
      readonly matchedBy: 'structured' | 'unstructured';
      readonly reference: string;
    }
  | { readonly kind: 'proposed'; readonly invoiceId: string; readonly customerId: string }
  | {
      readonly kind: 'unapplied';
      readonly invoiceId: string;
      readonly customerId: string;
      readonly reference: string;
    }
  | { readonly kind: 'unmatched' };

export async function matchEntry(entry: EntryToMatch, ports: MatchingPorts): Promise<Match> {
  const structured = entry.structuredReferences
    .map((reference) => canonicalReference(reference))
    .filter((reference): reference is string => reference !== undefined);
  const inText = referencesInText(entry.unstructured).filter((reference) => !structured.includes(reference));
  let settled: { invoiceId: string; customerId: string; reference: string } | undefined;
  for (const [references, matchedBy] of [
    [structured, 'structured'],
    [inText, 'unstructured'],
  ] as const) {
    for (const reference of references) {
      const found = await ports.invoiceOfReference(reference);
      if (!found) continue;
      if (await ports.isOpen(found.invoiceId, entry.currency))
        return { kind: 'payment', invoiceId: found.invoiceId, customerId: found.customerId, matchedBy, reference };
      if (settled === undefined && found.customerId !== null)
        settled = { invoiceId: found.invoiceId, customerId: found.customerId, reference };
    }
  }
  const customers = await ports.customersOfDebtor(entry.debtorName, entry.debtorIban);
  const candidates: { invoiceId: string; customerId: string }[] = [];
  for (const customerId of new Set(customers)) {
    for (const invoiceId of await ports.openInvoicesWithBalance(customerId, entry.currency, entry.minor))
      candidates.push({ invoiceId, customerId });
    if (candidates.length > 1) break;
  }
  if (candidates.length === 1) {
    const [only] = candidates as [{ invoiceId: string; customerId: string }];
    return { kind: 'proposed', ...only };
  }
  if (settled) return { kind: 'unapplied', ...settled };
  return { kind: 'unmatched' };
}
