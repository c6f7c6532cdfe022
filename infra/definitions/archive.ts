/**
 * The archive of issued documents, as plain data: the CDK stack builds its S3 bucket from this (Object Lock in
 * compliance mode, versioning, encryption, TLS only, no public access), and the local cloud creates the same bucket
 * in its S3 (s3rver) from it. One source of truth for both clouds.
 *
 * An issued invoice's or credit note's documents are rendered once from the frozen invoice and kept under
 * {@link archiveKey}: the PDF, and the UBL e-invoice or, when there is none, the recorded reason why not.
 */
export interface DocumentArchiveDesign {
  /** Name of the bucket in the local cloud; on AWS CloudFormation names it. */
  readonly localBucketName: string;
  /** Object Lock default retention: the Dutch fiscal retention period (art. 52 AWR), 7 years. */
  readonly retentionYears: number;
  /** COMPLIANCE: nobody, not even the account's root user, can shorten the retention or delete a version. */
  readonly objectLockMode: 'COMPLIANCE';
}

export const documentArchiveDesign: DocumentArchiveDesign = {
  localBucketName: 'factuur-documents',
  retentionYears: 7,
  objectLockMode: 'COMPLIANCE',
};

/** What is kept per issued document: the PDF, the UBL e-invoice, or the reason it has none. */
export type ArchivedKind = 'pdf' | 'ubl' | 'no-e-invoice';

const fileNames: Record<ArchivedKind, string> = {
  pdf: 'document.pdf',
  ubl: 'e-invoice.xml',
  'no-e-invoice': 'no-e-invoice.txt',
};

export const archivedContentTypes: Record<ArchivedKind, string> = {
  pdf: 'application/pdf',
  ubl: 'application/xml',
  'no-e-invoice': 'text/plain; charset=utf-8',
};

/** The object key of one archived document: `invoices/<invoice id>/document.pdf` and so on. */
export function archiveKey(invoiceId: string, kind: ArchivedKind): string {
  return `invoices/${invoiceId}/${fileNames[kind]}`;
}
