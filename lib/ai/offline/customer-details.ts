import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toTerms } from '@/lib/text/terms';

interface PlacesLexicon {
  elsewhere: string[];
  regions: Record<string, { names: string[]; members: string[] }>;
  countries: Record<string, string[]>;
}

interface Places {
  /** Lower-case names of one or more words ("kuala lumpur") → the country they name. */
  byName: Map<string, string>;
  /** Abbreviations in capitals (SG, MY, US): they count only where the text is not shouted. */
  byAbbreviation: Map<string, string>;
  /** Chinese names, found anywhere in a text as Chinese has no spaces. */
  chinese: [string, string][];
  longestName: number;
  elsewhere: RegExp;
  /** Country → the regions it belongs to (Germany → European Union). */
  regionsOf: Map<string, string[]>;
}

let places: Places | null = null;

/** The places lexicon (content/lexicons/places.json), read once. */
function loadPlaces(): Places {
  if (places) return places;
  const file = path.join(process.cwd(), 'content', 'lexicons', 'places.json');
  const lexicon = JSON.parse(readFileSync(file, 'utf8')) as PlacesLexicon;
  const byName = new Map<string, string>();
  const byAbbreviation = new Map<string, string>();
  const chinese: [string, string][] = [];
  const add = (country: string, name: string) => {
    if (/^[A-Z]{2,3}$/.test(name)) byAbbreviation.set(name, country);
    else if (/\p{Script=Han}/u.test(name)) chinese.push([name, country]);
    else byName.set(latinWords(name).join(' ').toLowerCase(), country);
  };
  for (const [country, aliases] of Object.entries(lexicon.countries)) {
    add(country, country);
    for (const alias of aliases) add(country, alias);
  }
  const regionsOf = new Map<string, string[]>();
  for (const [region, { names: regionNames, members }] of Object.entries(lexicon.regions)) {
    add(region, region);
    for (const name of regionNames) add(region, name);
    for (const member of members) regionsOf.set(member, [...(regionsOf.get(member) ?? []), region]);
  }
  const longestName = Math.max(...[...byName.keys()].map((name) => name.split(' ').length));
  const elsewhere = new RegExp(lexicon.elsewhere.map(escapeRegExp).join('|'), 'i');
  places = { byName, byAbbreviation, chinese, longestName, elsewhere, regionsOf };
  return places;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const latinWords = (text: string) => text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];

const memo = new Map<string, Set<string>>();
const MEMO_SIZE = 4000;

/** The countries (and regions) a text names, by any of their names, regions or cities. */
export function placesIn(text: string): Set<string> {
  const known = memo.get(text);
  if (known) return known;
  const { byName, byAbbreviation, chinese, longestName, regionsOf } = loadPlaces();
  const found = new Set<string>();
  const words = latinWords(text);
  const lower = words.map((w) => w.toLowerCase());
  const shouted = !/\p{Ll}/u.test(text);
  for (let i = 0; i < words.length; i++) {
    const abbreviation = shouted ? undefined : byAbbreviation.get(words[i]!);
    if (abbreviation) found.add(abbreviation);
    for (let n = 1; n <= longestName && i + n <= words.length; n++) {
      const country = byName.get(lower.slice(i, i + n).join(' '));
      if (country) found.add(country);
    }
  }
  if (/\p{Script=Han}/u.test(text)) {
    for (const [name, country] of chinese) if (text.includes(name)) found.add(country);
  }
  for (const country of [...found]) {
    for (const region of regionsOf.get(country) ?? []) found.add(region);
  }
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(text, found);
  return found;
}

/**
 * A Chinese text with its place names cut out ("在新加坡买满…" → "在 买满…"): Chinese has no
 * spaces, so a question is one word that names a place as well as everything else.
 */
export function withoutChinesePlaceNames(text: string): string {
  if (!/\p{Script=Han}/u.test(text)) return text;
  let rest = text;
  for (const [name] of loadPlaces().chinese) rest = rest.replaceAll(name, ' ');
  return rest;
}

/**
 * The places a text names itself: its countries, and the regions it names outright rather than
 * through one of their countries ("the Netherlands" names no other European Union country).
 */
export function namedPlacesIn(text: string): Set<string> {
  const found = placesIn(text);
  const { regionsOf } = loadPlaces();
  const implied = new Set([...found].flatMap((place) => regionsOf.get(place) ?? []));
  return new Set([...found].filter((place) => !implied.has(place)));
}

/** A heading for "every other country": International, Overseas, 海外. */
export const isElsewhere = (label: string) => loadPlaces().elsewhere.test(label);

/**
 * What the desk knows about the customer that can pick one part of an answer: the places they
 * name or the site says they are in, and the words of what the site and tools say about them
 * (their plan).
 */
export interface CustomerDetails {
  places: Set<string>;
  /** Search terms of the details' values ("Plus" → plus). */
  terms: Set<string>;
}

export function customerDetails(input: {
  /** What the customer wrote in this conversation. */
  messages: readonly string[];
  /** Values the site or a tool gave about the customer (siteContext, an account lookup). */
  facts: readonly unknown[];
}): CustomerDetails {
  const values = input.facts.flatMap(stringsIn);
  const placeSources = [...input.messages, ...values];
  const placesFound = new Set(placeSources.flatMap((text) => [...placesIn(text)]));
  const terms = new Set(values.flatMap((value) => toTerms(value)));
  for (const place of placesFound) for (const term of toTerms(place)) terms.add(term);
  return { places: placesFound, terms };
}

/** The short strings inside a value (a plan's name, a country code), not long free text. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.length <= 60 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Whether a part named `label` (a heading, a list item's or row's name) is the customer's, among
 * parts named `siblings`: it names their country or region, a value the site or a tool gave
 * about them (their plan), or only words they used themselves ("PayPal"); or it is the part for
 * every other country ("International") and they are in a country no sibling names.
 */
export function fitsCustomer(details: CustomerDetails, said: ReadonlySet<string>) {
  const known = (label: string) =>
    [...placesIn(label)].some((place) => details.places.has(place)) ||
    toTerms(label).some((term) => details.terms.has(term));
  return (label: string, siblings: readonly string[]): boolean => {
    if (!label) return false;
    if (known(label)) return true;
    // "free delivery on my plan" from a Plus member: the part named for what is known about
    // them is theirs, not the "Free plan" part their words happen to spell.
    if (siblings.some((sibling) => sibling !== label && known(sibling))) return false;
    const terms = toTerms(label);
    if (terms.length > 0 && terms.every((term) => said.has(term))) return true;
    if (!isElsewhere(label) || details.places.size === 0) return false;
    const named = new Set(siblings.flatMap((sibling) => [...placesIn(sibling)]));
    return ![...details.places].some((place) => named.has(place));
  };
}
