import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../functions/documents/invoice-pdf.ts';
import { epcPayload } from '../../../functions/documents/epc-qr.ts';
import { renderInvoiceUbl } from '../../../functions/documents/invoice-ubl.ts';
import { belgianReference, creditorReference, formatBelgianReference } from '../../../functions/domain/index.ts';
import { dutchInvoice, firm } from './fixtures.ts';

// jsqr is CommonJS with a default export in its types: take the function either way.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** Rasterizes page 1 with pdftoppm (PPM) and reads the QR code on it with jsQR. */
function qrOnFirstPage(pdf: Buffer): string | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'factuur-qr-'));
  try {
    writeFileSync(path.join(dir, 'invoice.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '200', '-f', '1', '-l', '1', '-singlefile', 'invoice.pdf', 'page'], { cwd: dir });
    const ppm = readFileSync(path.join(dir, 'page.ppm'));
    // P6 header: "P6\n<width> <height>\n<max>\n", then RGB bytes.
    const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString('latin1'));
    if (!header) throw new Error('pdftoppm did not write a P6 PPM');
    const [whole, w, h] = header as unknown as [string, string, string];
    const width = Number(w);
    const height = Number(h);
    const rgb = ppm.subarray(whole.length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = rgb[i * 3] as number;
      rgba[i * 4 + 1] = rgb[i * 3 + 1] as number;
      rgba[i * 4 + 2] = rgb[i * 3 + 2] as number;
      rgba[i * 4 + 3] = 255;
    }
    return jsQR(rgba, width, height)?.data;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('EPC QR code on the invoice PDF', () => {
  it('reads back from the rendered page with every field (RF reference in the structured field)', async () => {
    const invoice = dutchInvoice();
    const reference = creditorReference((invoice.number as string).replaceAll('-', ''));
    const pdf = await renderInvoicePdf(invoice, firm, { paymentReference: reference });
    const data = qrOnFirstPage(pdf);
    expect(data, 'a QR code on page 1').toBeDefined();
    const lines = (data as string).split('\n');
    expect(lines.slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT']);
    expect(lines[4]).toBe(firm.bic);
    expect(lines[5]).toBe(firm.name);
    expect(lines[6]).toBe(firm.iban);
    expect(lines[7]).toBe(`EUR${(invoice.totals.total / 100).toFixed(2)}`);
    expect(lines[8]).toBe('');
    expect(lines[9]).toBe(reference);
    expect(lines[10] ?? '').toBe('');
    expect(data).toBe(epcPayload(firm, { amountMinor: invoice.totals.total, reference }));
    // The reference is printed and quoted; the same bytes every time.
    const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
    expect(text).toContain('Betalingskenmerk');
    expect(text).toContain('Scan om te betalen');
    expect(text).toContain(`onder vermelding van ${reference}`);
    expect((await renderInvoicePdf(invoice, firm, { paymentReference: reference })).equals(pdf)).toBe(true);
  });

  it('puts a Belgian structured communication in the unstructured field', async () => {
    const invoice = dutchInvoice();
    const reference = formatBelgianReference(belgianReference('2027000001'));
    const data = qrOnFirstPage(await renderInvoicePdf(invoice, firm, { paymentReference: reference }));
    const lines = (data as string).split('\n');
    expect(lines[9]).toBe('');
    expect(lines[10]).toBe(reference);
  });

  it('has no QR code without a reference, and the UBL carries the reference as PaymentID', async () => {
    const invoice = dutchInvoice();
    expect(qrOnFirstPage(await renderInvoicePdf(invoice, firm))).toBeUndefined();
    const reference = creditorReference('INV2027000001');
    const ubl = await renderInvoiceUbl(invoice, firm, { paymentReference: reference });
    expect(ubl).toContain(`<cbc:PaymentID>${reference}</cbc:PaymentID>`);
  });
});
