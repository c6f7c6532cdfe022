import type { InvoiceHeader } from './ports.ts';

/** An invoice header as the API shows it: without the stored per-rate sums, with its customer. */
export function publicHeader(header: InvoiceHeader): Record<string, unknown> {
  const { summary: _summary, buildKey: _buildKey, ...rest } = header;
  return { ...rest, customerId: header.customerId ?? null };
}
