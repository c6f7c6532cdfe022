import type { ArchiveReader } from './document-archive.ts';

/**
 * An issued invoice's archived documents, read only (no document library: what GET /pdf and /ubl need).
 * The PDF is archived last, so a stored PDF means the set is complete: the UBL e-invoice, or the reason there is none.
 */
export interface ArchivedDocuments {
  readonly pdf: Buffer;
  /** The UBL e-invoice, or null when there is none for this invoice (see `noEInvoiceReason`). */
  readonly ubl: Buffer | null;
  readonly noEInvoiceReason: string | null;
}

export async function storedDocuments(
  invoiceId: string,
  archive: ArchiveReader,
): Promise<ArchivedDocuments | undefined> {
  const pdf = await archive.get(invoiceId, 'pdf');
  if (!pdf) return undefined;
  const ubl = (await archive.get(invoiceId, 'ubl')) ?? null;
  const reason = ubl ? undefined : await archive.get(invoiceId, 'no-e-invoice');
  return { pdf, ubl, noEInvoiceReason: reason ? reason.toString('utf8') : null };
}
