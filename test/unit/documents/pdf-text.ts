/** Reads a rendered PDF back (pdf.js through unpdf): its text per page, and the text items with their position. */
import { extractText, getDocumentProxy } from 'unpdf';

/** The whole text, pages merged. */
export async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text;
}

/** The text of each page, in page order. */
export async function pageTexts(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: false });
  return text;
}

export interface TextItem {
  readonly page: number;
  readonly str: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Every non-blank text item of every page, in drawing order. */
export async function textItems(pdf: Buffer): Promise<TextItem[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const items: TextItem[] = [];
  for (let page = 1; page <= doc.numPages; page++) {
    const content = await (await doc.getPage(page)).getTextContent();
    for (const i of content.items)
      if ('str' in i && i.str.trim() !== '')
        items.push({
          page,
          str: i.str,
          x: i.transform[4] as number,
          y: i.transform[5] as number,
          w: i.width,
          h: i.height,
        });
  }
  return items;
}

/**
 * The text of a table column that starts at `x` and is `width` wide, in drawing order over all pages, white space
 * removed: every line with an item starting at `x` contributes its items inside the column (pdf.js may split one
 * drawn line into several items). Items equal to one of `except` (the column head) are left out.
 */
export async function columnText(
  pdf: Buffer,
  x: number,
  width: number,
  except: readonly string[] = [],
): Promise<string> {
  const items = await textItems(pdf);
  const line = (i: TextItem): string => `${i.page}|${i.y.toFixed(2)}`;
  const lines = new Set(items.filter((i) => Math.abs(i.x - x) < 0.5).map(line));
  return items
    .filter((i) => lines.has(line(i)) && i.x > x - 0.5 && i.x < x + width && !except.includes(i.str.trim()))
    .map((i) => i.str)
    .join('')
    .replace(/\s+/g, '');
}
