import type { PromptSource } from '../sources';

/** The smallest parts of a help-center passage an answer is built from. */
export type UnitKind = 'sentence' | 'item' | 'row';

export interface PassageUnit {
  source: PromptSource;
  /** Which block of its source the unit belongs to (a paragraph, a list, a table). */
  block: number;
  /** Position in its source, in reading order. */
  order: number;
  kind: UnitKind;
  /** The unit's Markdown as the article writes it (a row's cells for a row). */
  text: string;
  /** What names the unit among its siblings: a list item's bold lead ("**Plus:**"), a row's first cell. */
  label: string;
}

export interface PassageBlock {
  kind: 'paragraph' | 'list' | 'table';
  /** The sentence that introduces a list or table ("To be accepted, items must be:"). */
  lead: PassageUnit | null;
  units: PassageUnit[];
  /** A numbered list: steps, which only make sense together. */
  ordered: boolean;
  /** A table's header cells; empty when the passage starts inside a table. */
  header: string[];
  /** The paragraph the lead ended ("The email arrives within 2 minutes. If it hasn't:"). */
  leadParagraph: PassageBlock | null;
  /** For that paragraph: the list or table its last sentence introduces. */
  introduces: PassageBlock | null;
}

export interface ParsedSource {
  source: PromptSource;
  blocks: PassageBlock[];
}

const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s+/;
const ORDERED_ITEM = /^\s{0,3}\d{1,2}[.)]\s+/;
const TABLE_LINE = /^\s*\|/;
const BOLD_LABEL = /^\*\*([^*]{1,80}?)[:：]?\*\*/;
const NAMED_ITEM = /^([^:：—]{1,40}?)\s*(?:[:：]|\s—\s)/;

/** What a list item is named for: its bold lead ("**Plus:** …"), or a short "PayPal: …" lead. */
function labelOf(item: string): string {
  const bold = BOLD_LABEL.exec(item);
  if (bold) return bold[1]!.trim();
  return NAMED_ITEM.exec(item)?.[1]?.replace(/\*\*/g, '').trim() ?? '';
}

/**
 * A passage cut into blocks of sentences, list items and table rows, in reading order. A
 * paragraph ending in a colon right before a list or table becomes that block's lead.
 */
export function parseSource(source: PromptSource): ParsedSource {
  const blocks: PassageBlock[] = [];
  let order = 0;
  const unit = (kind: UnitKind, text: string, label: string): PassageUnit => ({
    source,
    block: blocks.length,
    order: order++,
    kind,
    text,
    label,
  });

  const lines = source.text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    if (TABLE_LINE.test(line)) {
      const rows: string[][] = [];
      let header: string[] = [];
      for (; i < lines.length && TABLE_LINE.test(lines[i]!); i++) {
        if (isTableRule(lines[i]!)) {
          // The row before the rule is the header.
          if (rows.length === 1) header = rows.pop()!;
          continue;
        }
        rows.push(cellsOf(lines[i]!));
      }
      const block: PassageBlock = {
        kind: 'table',
        ...takeLead(blocks),
        introduces: null,
        units: [],
        ordered: false,
        header,
      };
      if (block.leadParagraph) block.leadParagraph.introduces = block;
      for (const cells of rows) {
        if (cells.every((c) => !c)) continue;
        block.units.push(unit('row', cells.join(' | '), cells.find(Boolean) ?? ''));
      }
      blocks.push(block);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      const ordered = ORDERED_ITEM.test(line);
      const indent = (text: string) => text.length - text.trimStart().length;
      const base = indent(line);
      for (; i < lines.length; i++) {
        const current = lines[i]!;
        const nested = indent(current) >= base + 2 && items.length > 0;
        // A nested list stays inside its item, as Markdown; other indented lines continue it.
        if (nested && LIST_ITEM.test(current)) items.push(`${items.pop()!}\n   ${current.trim()}`);
        else if (LIST_ITEM.test(current)) items.push(current.replace(LIST_ITEM, '').trim());
        else if (nested) items.push(`${items.pop()!} ${current.trim()}`);
        else break;
      }
      const block: PassageBlock = {
        kind: 'list',
        ...takeLead(blocks),
        introduces: null,
        units: [],
        ordered,
        header: [],
      };
      if (block.leadParagraph) block.leadParagraph.introduces = block;
      for (const item of items) block.units.push(unit('item', item, labelOf(item)));
      blocks.push(block);
      continue;
    }
    const paragraph: string[] = [];
    for (
      ;
      i < lines.length &&
      lines[i]!.trim() &&
      !LIST_ITEM.test(lines[i]!) &&
      !TABLE_LINE.test(lines[i]!);
      i++
    ) {
      paragraph.push(lines[i]!.trim());
    }
    const block: PassageBlock = {
      kind: 'paragraph',
      lead: null,
      leadParagraph: null,
      introduces: null,
      units: [],
      ordered: false,
      header: [],
    };
    for (const sentence of splitSentences(paragraph.join(' '))) {
      block.units.push(unit('sentence', sentence, ''));
    }
    blocks.push(block);
  }
  return { source, blocks };
}

/** A paragraph's last sentence becomes the lead of the list or table after it when it ends in a colon. */
function takeLead(blocks: PassageBlock[]): {
  lead: PassageUnit | null;
  leadParagraph: PassageBlock | null;
} {
  const previous = blocks.at(-1);
  const last = previous?.kind === 'paragraph' ? previous.units.at(-1) : undefined;
  if (!previous || !last || !/[:：]$/.test(last.text)) return { lead: null, leadParagraph: null };
  previous.units.pop();
  if (previous.units.length === 0) blocks.pop();
  last.block = blocks.length;
  return { lead: last, leadParagraph: previous.units.length > 0 ? previous : null };
}

const isTableRule = (line: string) => cellsOf(line).every((cell) => /^:?-{2,}:?$/.test(cell));

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

// A sentence ends at . ! ? (or their Chinese forms) before a space and a capital, digit, quote or
// bold mark — not inside "S$4.90", "shop.example" or "e.g. a kettle". A semicolon ends a
// clause, which often says the same for another case ("…Ninja Point; Malaysian parcels…").
const SENTENCE_END = /(?<=[.!?])\s+(?=[\p{Lu}\d"“‘(*[])|(?<=;)\s+(?=\S)|(?<=[。！？；])\s*(?=\S)/u;

export function splitSentences(paragraph: string): string[] {
  return paragraph
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every unit of a parsed source, leads included, in reading order. */
export function unitsOf(parsed: ParsedSource): PassageUnit[] {
  return parsed.blocks
    .flatMap((block) => (block.lead ? [block.lead, ...block.units] : block.units))
    .sort((a, b) => a.order - b.order);
}
