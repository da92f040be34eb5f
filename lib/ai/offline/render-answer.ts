import { toTerms } from '@/lib/text/terms';
import type { PromptSource } from '../sources';
import type { ScoredUnit } from './answer-match';
import { groupBy, leafOf } from './choose-units';
import { type CustomerDetails, fitsCustomer, placesIn } from './customer-details';
import type { PassageBlock, PassageUnit } from './passage-units';

const MAX_STEPS = 10;
/** Units of a chosen section scoring this share of its chosen part's join the answer. */
const SECTION_KEEP_RATIO = 0.8;
/** The note right under a chosen table or list joins it when it scores this share. */
const NOTE_RATIO = 0.6;
const SHORT_PARAGRAPH_UNITS = 4;
const SHORT_PARAGRAPH_CHARS = 450;

/**
 * The chosen units as Markdown, section by section (best first), each under its heading and in
 * the article's order, with the whole list when one of its steps was chosen and the sentence that
 * says what happens after the steps; each section ends with its citation.
 */
export function renderAnswer(
  chosen: ScoredUnit[],
  scored: ScoredUnit[],
  relevant: Set<PassageUnit>,
  {
    details,
    said,
    compact,
    topicOnly,
  }: {
    details: CustomerDetails;
    said: Set<string>;
    /** Only the chosen units and their leads: an excerpt framed in another language. */
    compact: boolean;
    /** Sources the question names only the topic of: a chosen list or table is given whole. */
    topicOnly: Set<PromptSource>;
  },
): string {
  const fits = fitsCustomer(details, said);
  const sources: ScoredUnit['unit']['source'][] = [];
  for (const s of chosen) if (!sources.includes(s.unit.source)) sources.push(s.unit.source);
  // The customer's own plan names its column before any word they happen to use ("free delivery").
  const columnsWanted = { known: details.terms, said: new Set([...said, ...details.terms]) };

  return sources
    .map((source) => {
      const mine = scored.filter((s) => s.unit.source === source);
      const mineChosen = chosen.filter((s) => s.unit.source === source);
      const picked = new Set(mineChosen.map((s) => s.unit));
      // What the section says nearly as well as its chosen part belongs with it.
      const sectionBest = Math.max(...mineChosen.map((s) => s.score));
      // A row or item the customer named in full ("paid with PayPal") answers for them; its
      // siblings for other options do not join it for scoring nearly as well. ("my card" names
      // no row in full: "Gift card or store credit" and "Visa, Mastercard" may both be meant.)
      const namedByCustomer = (unit: PassageUnit) => {
        const terms = toTerms(unit.label);
        return terms.length > 0 && terms.every((term) => said.has(term));
      };
      const answeredByName = new Set(
        mineChosen.filter((s) => namedByCustomer(s.unit)).map((s) => s.unit.block),
      );
      for (const s of compact ? [] : mine) {
        if (answeredByName.has(s.unit.block) && !namedByCustomer(s.unit)) continue;
        if (relevant.has(s.unit) && s.score >= sectionBest * SECTION_KEEP_RATIO) picked.add(s.unit);
      }
      for (const s of compact ? mine : []) {
        if (picked.has(s.unit) && s.blockOf.lead) picked.add(s.blockOf.lead);
      }
      // Steps only make sense together.
      for (const s of compact ? [] : mine) {
        if (!picked.has(s.unit) || !s.blockOf.ordered) continue;
        for (const step of s.blockOf.units.slice(0, MAX_STEPS)) picked.add(step);
      }
      // A list or table is introduced by its lead, and a list with a lead is one answer (as is
      // a table whose lead was chosen): kept whole, but for the parts named for another option
      // than the customer's. A sentence starting "It", "This" needs the one before; a short
      // paragraph says one thing, so it is kept whole — but for clauses about another country.
      for (const s of compact ? [] : [...mine]) {
        if (!picked.has(s.unit)) continue;
        const block = s.blockOf;
        const isLead = s.unit === block.lead;
        if (block.lead) picked.add(block.lead);
        // "The email arrives within 2 minutes. If it hasn't:" — the lead's own paragraph.
        if (block.leadParagraph && isShort(block.leadParagraph)) {
          for (const unit of block.leadParagraph.units) picked.add(unit);
        }
        const whole = block.kind !== 'paragraph' && topicOnly.has(source);
        if (isLead || whole || (block.lead && block.kind === 'list')) {
          for (const part of partsForCustomer(block.units.slice(0, MAX_STEPS), fits)) {
            picked.add(part);
          }
        }
        // The note under a table or list ("Subscriptions renew automatically, so…"), or what
        // happens after the steps ("The link is valid for 24 hours.").
        const note = mine.find(
          (m) => m.unit.block === s.unit.block + 1 && m.blockOf.kind === 'paragraph',
        );
        if (
          block.kind !== 'paragraph' &&
          note &&
          note.unit === note.blockOf.units[0] &&
          note.score >= sectionBest * NOTE_RATIO
        ) {
          picked.add(note.unit);
        }
        if (s.unit.kind !== 'sentence' || block.kind !== 'paragraph') continue;
        // "…Before contacting us, check for:" — the list the paragraph leads to.
        const next = block.introduces;
        if (next?.lead && next.kind === 'list' && isShort(block)) {
          picked.add(next.lead);
          for (const part of partsForCustomer(next.units.slice(0, MAX_STEPS), fits))
            picked.add(part);
        }
        // "Tell us within 7 days." then the steps that say how.
        const steps = mine.find((m) => m.unit.block === s.unit.block + 1)?.blockOf;
        if (steps?.ordered && !steps.lead && block.units.at(-1) === s.unit) {
          for (const step of steps.units.slice(0, MAX_STEPS)) picked.add(step);
        }
        const mates = block.units;
        const index = mates.indexOf(s.unit);
        if (REFERS_BACK.test(s.unit.text) && index > 0) picked.add(mates[index - 1]!);
        const named = new Set([...placesIn(s.unit.text), ...details.places]);
        for (const mate of mates) {
          const sameCountry = [...placesIn(mate.text)].every((place) => named.has(place));
          if (sameCountry && (isShort(block) || relevant.has(mate))) picked.add(mate);
        }
      }
      const blocks = groupBy(
        mine.filter((s) => picked.has(s.unit)).sort((a, b) => a.unit.order - b.unit.order),
        (s) => String(s.unit.block),
      );
      const parts = [...blocks.values()].map((group) =>
        renderBlock(
          group.map((s) => s.unit),
          group[0]!.blockOf,
          columnsWanted,
        ),
      );
      const heading = leafOf(source.section);
      const text = `${parts.join('\n\n')} [${source.index}]`;
      return heading ? `**${heading}**\n\n${text}` : text;
    })
    .join('\n\n');
}

const isShort = (paragraph: PassageBlock) =>
  paragraph.units.length <= SHORT_PARAGRAPH_UNITS &&
  paragraph.units.reduce((n, u) => n + u.text.length, 0) <= SHORT_PARAGRAPH_CHARS;

/** Of named parts (Free / Plus / Pro), the customer's when one is; all of them otherwise. */
function partsForCustomer(
  parts: PassageUnit[],
  fits: (label: string, siblings: readonly string[]) => boolean,
): PassageUnit[] {
  const labels = parts.map((p) => p.label);
  const theirs = parts.filter((p) => p.label && fits(p.label, labels));
  return theirs.length > 0 ? theirs : parts;
}

const REFERS_BACK =
  /^(?:it|this|that|these|those|they|then|otherwise|if not|there|such)\b|^(?:这|此|它|他们|否则)/i;

interface ColumnsWanted {
  /** Terms of what the site or a tool says about the customer (their plan). */
  known: ReadonlySet<string>;
  /** Those and the customer's own words. */
  said: ReadonlySet<string>;
}

function renderBlock(
  units: PassageUnit[],
  block: PassageBlock,
  columnsWanted: ColumnsWanted,
): string {
  const lead = block.lead && units.includes(block.lead) ? block.lead.text : null;
  const body = units.filter((u) => u !== block.lead);
  let text: string;
  switch (block.kind) {
    case 'paragraph':
      // A clause kept without the one after it ends as a sentence.
      text = body
        .map((u, i) => {
          const next = block.units[block.units.indexOf(u) + 1];
          return next && body[i + 1] !== next ? u.text.replace(/[;；]$/, '.') : u.text;
        })
        .join(' ')
        .replace(/[;；]$/, '.');
      break;
    case 'list':
      text = body
        .map((u) => (block.ordered ? `${block.units.indexOf(u) + 1}. ${u.text}` : `- ${u.text}`))
        .join('\n');
      break;
    case 'table':
      text = body
        .map((u) => `- ${renderRow(u.text.split(' | '), block.header, columnsWanted)}`)
        .join('\n');
      break;
  }
  return lead ? (text ? `${lead}\n\n${text}` : lead) : text;
}

/**
 * A table row as a line: "**Standard (Ninja Van)** — Delivery time: 2–4 business days; Fee:
 * S$4.90". When the customer's plan or option names one of the columns, only that one.
 */
function renderRow(cells: string[], header: string[], columnsWanted: ColumnsWanted): string {
  const [name = '', ...values] = cells;
  if (header.length !== cells.length) return cells.filter(Boolean).join(' — ');
  const columns = values.map((value, i) => ({ title: header[i + 1]!, value }));
  // A column is wanted when the customer named all of its title ("Pro"), not a word of it
  // ("Delivery time"); a column named for what is known about them comes first.
  const named = (wanted: ReadonlySet<string>) =>
    columns.filter((c) => {
      const terms = toTerms(c.title);
      return terms.length > 0 && terms.every((t) => wanted.has(t));
    });
  const theirs = named(columnsWanted.known);
  const wanted = theirs.length > 0 ? theirs : named(columnsWanted.said);
  if (wanted.length > 0 && wanted.length < columns.length) {
    return `**${name}** (${wanted.map((c) => c.title).join(', ')}): ${wanted.map((c) => c.value).join('; ')}`;
  }
  return `**${name}** — ${columns.map((c) => `${c.title}: ${c.value}`).join('; ')}`;
}
