export interface Chunk {
  /** Heading trail inside the document, e.g. "Refunds › How long it takes". */
  sectionPath: string;
  content: string;
}

export interface ChunkOptions {
  maxChars: number;
  overlapChars: number;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/**
 * Splits Markdown at its headings so each chunk is one section an answer can cite; sections
 * longer than maxChars are cut at paragraph boundaries, each piece repeating the tail of the
 * previous one so a step list split in two keeps its context.
 */
export function chunkMarkdown(
  markdown: string,
  { maxChars, overlapChars }: ChunkOptions = { maxChars: 1200, overlapChars: 150 },
): Chunk[] {
  const sections: { path: string[]; lines: string[] }[] = [];
  let path: string[] = [];
  let current = { path, lines: [] as string[] };
  let inFence = false;

  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      sections.push(current);
      const level = heading[1]!.length;
      path = [...path.slice(0, Math.max(0, level - 2)), heading[2]!];
      current = { path, lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  sections.push(current);

  return sections.flatMap(({ path: sectionPath, lines }) => {
    const text = lines.join('\n').trim();
    if (!text) return [];
    return splitLongText(text, maxChars, overlapChars).map((content) => ({
      sectionPath: sectionPath.join(' › '),
      content,
    }));
  });
}

function splitLongText(text: string, maxChars: number, overlapChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const paragraphs = text.split(/\n{2,}/);
  const pieces: string[] = [];
  let piece = '';
  for (const paragraph of paragraphs) {
    if (piece && piece.length + paragraph.length + 2 > maxChars) {
      pieces.push(piece);
      const tail = overlapChars > 0 ? overlapOf(piece, overlapChars) : '';
      piece = tail ? `${tail}\n\n${paragraph}` : paragraph;
    } else {
      piece = piece ? `${piece}\n\n${paragraph}` : paragraph;
    }
  }
  if (piece) pieces.push(piece);
  return pieces;
}

const TABLE_ROW = /^\s*\|/;
const TABLE_RULE = /^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$/;
const LIST_LINE = /^\s*(?:[-*+]|\d{1,2}[.)])\s+/;

/**
 * The end of a piece, repeated at the start of the next. A table or list is repeated by whole
 * rows or items — a row cut in half reads as nothing — and a table's rows under its header, so
 * the next piece still says what each column is; prose by its last words.
 */
function overlapOf(piece: string, overlapChars: number): string {
  const last = piece.split(/\n{2,}/).at(-1) ?? '';
  const lines = last.split('\n');
  const table = lines.every((line) => TABLE_ROW.test(line));
  if (table || lines.every((line) => LIST_LINE.test(line) || /^\s+\S/.test(line))) {
    const header = table && lines.length > 2 && TABLE_RULE.test(lines[1]!) ? lines.slice(0, 2) : [];
    const body = lines.slice(header.length);
    const kept: string[] = [];
    let size = 0;
    for (const line of [...body].reverse()) {
      if (kept.length > 0 && size + line.length + 1 > overlapChars) break;
      kept.unshift(line);
      size += line.length + 1;
    }
    return [...header, ...kept].join('\n');
  }
  const tail = piece.slice(-overlapChars);
  const cut = tail.search(/\s/);
  return cut >= 0 ? tail.slice(cut + 1) : '';
}
