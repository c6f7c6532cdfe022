/**
 * The PDF's page geometry and the renderer every block draws through: own line wrapping (nothing is ever cut),
 * page breaks that repeat a table's heading, and the page frame ("Pagina 2 van 3" / "Page 2 of 3" in the footer).
 *
 * Two passes over the same layout code: the first only measures (font metrics, no page, no drawing) and counts the
 * pages; the second draws, knowing the total. Both passes break pages at the same places because they run the same
 * code on the same metrics. Pages stream out as they are drawn (pdfkit without bufferPages), so memory stays with
 * the PDF bytes, not with the pages' drawing state.
 */
import type { FirmProfile } from './firm.ts';
import type { DocumentLanguage } from './format.ts';
import type { Labels } from './labels.ts';

export const PAGE_WIDTH = 595.28; // A4
export const PAGE_HEIGHT = 841.89;
export const LEFT = 50;
export const RIGHT = PAGE_WIDTH - 50;
export const TOP = 50;
/** Content limit; the footer sits below. */
export const BOTTOM = PAGE_HEIGHT - 70;
/** The room a block has on a fresh page below a repeated table heading: taller blocks are split over pages. */
export const PAGE_ROOM = BOTTOM - TOP - 60;
export const GREY = '#555555';
export const BLACK = '#000000';
const RULE = '#999999';

export const REGULAR = 'Regular';
export const BOLD = 'Bold';

export interface TextStyle {
  readonly bold?: boolean;
  readonly size?: number;
  readonly color?: string;
}

/** What stays the same on every page of one document. */
export interface PageFrame {
  readonly firm: FirmProfile;
  readonly lang: DocumentLanguage;
  readonly t: Labels;
  /** The document number, printed in the footer of every page. */
  readonly number: string;
}

export class Renderer {
  y = TOP;
  pageNumber = 0;
  /** Called after a page break inside a table or block, to repeat its heading on the new page. */
  onPageBreak: (() => void) | null = null;
  readonly lang: DocumentLanguage;
  readonly t: Labels;

  /**
   * @param drawing false for the measuring pass: nothing is drawn and no page is added, only `y` and `pageNumber`
   *   move as they will when drawing.
   * @param totalPages the page count the measuring pass found (printed as "van N" / "of N"); null while measuring.
   */
  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly frame: PageFrame,
    readonly drawing: boolean,
    readonly totalPages: number | null,
  ) {
    this.lang = frame.lang;
    this.t = frame.t;
  }

  newPage(): void {
    this.pageNumber += 1;
    this.y = TOP;
    if (!this.drawing) return;
    this.doc.addPage({ size: 'A4', margins: { top: TOP, bottom: 0, left: LEFT, right: 50 } });
    const { firm, t, number } = this.frame;
    const footer = [
      firm.name,
      `${t.kvk} ${firm.chamberOfCommerce}`,
      `${t.vat} ${firm.vatNumber}`,
      `IBAN ${firm.iban}`,
    ].join('  ·  ');
    this.rule(PAGE_HEIGHT - 55);
    this.text(footer, LEFT, PAGE_HEIGHT - 48, { size: 7, color: GREY });
    const page = t.page(this.pageNumber, this.totalPages ?? this.pageNumber);
    this.textRight(`${number}  ·  ${page}`, RIGHT, PAGE_HEIGHT - 36, { size: 7, color: GREY });
  }

  /** Makes room for `height` points, breaking the page (and repeating a table's heading) when needed. */
  ensure(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.newPage();
    this.onPageBreak?.();
  }

  style(style: TextStyle): void {
    this.doc.font(style.bold === true ? BOLD : REGULAR).fontSize(style.size ?? 9);
    if (this.drawing) this.doc.fillColor(style.color ?? BLACK);
  }

  text(value: string, x: number, y: number, style: TextStyle = {}): void {
    if (!this.drawing) return;
    this.style(style);
    this.doc.text(value, x, y, { lineBreak: false });
  }

  textRight(value: string, right: number, y: number, style: TextStyle = {}): void {
    if (!this.drawing) return;
    this.style(style);
    this.doc.text(value, right - this.doc.widthOfString(value), y, { lineBreak: false });
  }

  width(value: string, style: TextStyle = {}): number {
    this.style(style);
    return this.doc.widthOfString(value);
  }

  /**
   * Own word wrapping to lines no wider than `width`, every character kept: words wrap at white space, a word wider
   * than the column is broken between characters (never inside a surrogate pair), paragraphs (\n) start new lines.
   */
  wrap(value: string, width: number, style: TextStyle = {}): string[] {
    this.style(style);
    const fits = (s: string): boolean => this.doc.widthOfString(s) <= width;
    const lines: string[] = [];
    for (const paragraph of value.split(/\r?\n/)) {
      if (fits(paragraph)) {
        lines.push(paragraph);
        continue;
      }
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        if (word === '') continue;
        const candidate = line === '' ? word : `${line} ${word}`;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line !== '') lines.push(line);
        line = word;
        while (!fits(line)) {
          const chars = Array.from(line);
          if (chars.length < 2) break;
          // the longest head that fits (at least one character): binary search, widths grow with length
          let low = 1;
          let high = chars.length - 1;
          while (low < high) {
            const mid = Math.ceil((low + high) / 2);
            if (fits(chars.slice(0, mid).join(''))) low = mid;
            else high = mid - 1;
          }
          lines.push(chars.slice(0, low).join(''));
          line = chars.slice(low).join('');
        }
      }
      if (line !== '') lines.push(line);
    }
    return lines;
  }

  /** A paragraph over the full width, wrapped in full; one that does not fit the page goes on over the next. */
  paragraph(value: string, style: TextStyle = { size: 9.5 }, leading = 13): void {
    const lines = this.wrap(value, RIGHT - LEFT, style);
    const height = lines.length * leading + 4;
    this.ensure(height <= PAGE_ROOM ? height : leading);
    for (const line of lines) {
      this.ensure(leading);
      this.text(line, LEFT, this.y, style);
      this.y += leading;
    }
    this.y += 6;
  }

  rule(y: number, from = LEFT, to = RIGHT): void {
    if (!this.drawing) return;
    this.doc.moveTo(from, y).lineTo(to, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }
}
