import { toTerms } from '@/lib/text/terms';
import type { ScoredUnit, Scoring } from './answer-match';
import {
  type CustomerDetails,
  fitsCustomer,
  isElsewhere,
  namedPlacesIn,
  placesIn,
} from './customer-details';
import type { PassageUnit } from './passage-units';

/** Units scoring at least this share of the best one's are considered for the answer. */
const POOL_RATIO = 0.65;
/** A match this close to exact means the unit says that part of the question itself. */
const SAYS_IT = 0.85;
/** A unit joins the answer when it answers this much (of the question's weight) more… */
const MIN_GAIN = 0.15;
/** …or is the same part for another option, scoring nearly as well… */
const VARIANT_RATIO = 0.85;
/** …or scores almost as well as the best, whatever it adds. */
const RUNNER_UP_RATIO = 0.9;
/** Share of an average term of the question that counts as answering more of it. */
const SIGNIFICANT_TERM = 0.7;
/** Below this the best unit shares nothing with the question: the passage's lead stands in. */
const MIN_SCORE = 0.12;
const MAX_UNITS = 6;
const MAX_SECTIONS = 3;
const MAX_OTHER_SECTIONS = 2;

/**
 * The units that answer, best first: the best one, then each that adds a part of the question
 * the ones before did not answer, and the same part for another country or option (side by side
 * when the desk does not know which is the customer's) — after dropping the parts for countries,
 * plans or options the customer is known not to have.
 */
export function chooseUnits(
  scoring: Scoring,
  details: CustomerDetails,
  said: Set<string>,
  questionTerms: Set<string>,
): { chosen: ScoredUnit[]; relevant: Set<PassageUnit> } {
  const { units, weights } = scoring;
  const best = Math.max(...units.map((s) => s.score));
  if (best < MIN_SCORE) {
    // Nothing matches: the first source's opening is the most the passages can say.
    const first = units.filter((s) => s.unit.source === units[0]!.unit.source).slice(0, 2);
    return { chosen: first, relevant: new Set() };
  }
  const pool = pickDetail(
    units.filter((s) => s.score >= best * POOL_RATIO).sort((a, b) => b.score - a.score),
    details,
    said,
  );
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  // Answering one more (average) part of the question is enough, up to MIN_GAIN.
  const parts = weights.filter((w) => w > 0).length;
  const minGain = Math.min(MIN_GAIN, SIGNIFICANT_TERM / Math.max(1, parts));
  const covered = weights.map(() => 0);
  const chosen: ScoredUnit[] = [];
  const sections = new Set<ScoredUnit['unit']['source']>();
  for (const candidate of pool) {
    if (chosen.length >= MAX_UNITS) break;
    // Only what a unit says itself adds to the answer; its heading is the context of it.
    const gain =
      candidate.matches.reduce(
        (sum, m, i) => sum + (m >= SAYS_IT && covered[i]! < SAYS_IT ? weights[i]! : 0),
        0,
      ) / total;
    const variant = chosen.some(
      (c) =>
        (candidate.score >= c.score * VARIANT_RATIO || answersAlike(c, candidate, weights)) &&
        areParallel(c, candidate) &&
        !(namesOption(c, questionTerms) && !namesOption(candidate, questionTerms)),
    );
    const runnerUp = candidate.score >= best * RUNNER_UP_RATIO;
    // "the difference between Packed and Dispatched": each part the question names by its name.
    const asked = namesOption(candidate, questionTerms);
    if (chosen.length > 0 && gain < minGain && !variant && !runnerUp && !asked) continue;
    if (chosen.length > 0 && !variant && isForOtherPlaces(candidate, chosen[0]!, details)) continue;
    // A third section only to put the same part for another country or option side by side.
    const newSection = !sections.has(candidate.unit.source);
    if (newSection && sections.size >= (variant ? MAX_SECTIONS : MAX_OTHER_SECTIONS)) continue;
    chosen.push(candidate);
    sections.add(candidate.unit.source);
    candidate.matches.forEach((m, i) => {
      covered[i] = Math.max(covered[i]!, m);
    });
  }
  return { chosen, relevant: new Set(pool.map((s) => s.unit)) };
}

// "## 2. Fix the website in your browser": sections numbered as steps to try in order.
const NUMBERED_HEADING = /^(\d{1,2})[.)]\s/;

/**
 * Sections numbered as steps ("1. Check for an outage", "2. Fix the website in your browser") are
 * tried in order: when a later one answers, the earlier ones handed over come first, each by its
 * best part, in the article's order.
 */
export function withEarlierSteps(chosen: ScoredUnit[], units: ScoredUnit[]): ScoredUnit[] {
  const stepOf = (source: ScoredUnit['unit']['source']) => {
    const number = NUMBERED_HEADING.exec(leafOf(source.section))?.[1];
    return number === undefined ? null : Number(number);
  };
  const parentOf = (source: ScoredUnit['unit']['source']) =>
    `${source.title}\n${source.section.split(' › ').slice(0, -1).join(' › ')}`;
  const result: ScoredUnit[] = [];
  const placed = new Set(chosen.map((s) => s.unit.source));
  for (const s of chosen) {
    const step = stepOf(s.unit.source);
    if (step !== null) {
      const earlier = groupBy(
        units.filter((u) => {
          const other = stepOf(u.unit.source);
          return (
            other !== null &&
            other < step &&
            !placed.has(u.unit.source) &&
            parentOf(u.unit.source) === parentOf(s.unit.source)
          );
        }),
        (u) => String(u.unit.source.index),
      );
      const firsts = [...earlier.values()]
        .map((group) => group.reduce((a, b) => (b.score > a.score ? b : a)))
        .sort((a, b) => stepOf(a.unit.source)! - stepOf(b.unit.source)!);
      for (const first of firsts) {
        result.push(first);
        placed.add(first.unit.source);
      }
    }
    result.push(s);
  }
  return result;
}

/**
 * A part from elsewhere in the passages that names only places the customer is known not to be
 * in ("prices for Singapore deliveries include 9% GST" for a customer in Malaysia): it answers
 * for someone else, and the best part already answers for them.
 */
function isForOtherPlaces(
  candidate: ScoredUnit,
  best: ScoredUnit,
  details: CustomerDetails,
): boolean {
  if (details.places.size === 0 || candidate.unit.source === best.unit.source) return false;
  const named = namedPlacesIn(candidate.unit.text);
  return named.size > 0 && ![...named].some((place) => details.places.has(place));
}

/**
 * The question names this unit by its label ("paid with PayPal", "Packed and Dispatched"): the
 * customer said which option they mean, so siblings named for other options are not put beside it.
 */
function namesOption(scored: ScoredUnit, questionTerms: Set<string>): boolean {
  const terms = toTerms(scored.unit.label);
  return terms.length > 0 && terms.every((term) => questionTerms.has(term));
}

/**
 * A row or item of the same table or list as the chosen one that speaks to every part of the
 * question the chosen one does, if less literally: "my card" is said by the "Gift card" row and
 * meant, as likely, by the "Visa, Mastercard" row — the customer did not say which, so both are
 * given; the "PayPal" row, which has nothing for "card", is not.
 */
function answersAlike(chosen: ScoredUnit, candidate: ScoredUnit, weights: number[]): boolean {
  if (chosen.unit.source !== candidate.unit.source || chosen.unit.block !== candidate.unit.block) {
    return false;
  }
  return chosen.matches.every((m, i) => m === 0 || weights[i] === 0 || candidate.matches[i]! > 0);
}

/**
 * The same part of an answer for another option: rows or items of one table or list both named
 * (Free / Plus / Pro), or the same kind of part under sibling headings named for places
 * (Singapore / Malaysia / International), or named alike (Standard (Ninja Van) / Standard (J&T)).
 */
function areParallel(a: ScoredUnit, b: ScoredUnit): boolean {
  const x = a.unit;
  const y = b.unit;
  if (x.kind !== y.kind) return false;
  if (x.source === y.source) return x.block === y.block && Boolean(x.label && y.label);
  if (x.source.title !== y.source.title) return false;
  const parent = (section: string) => section.split(' › ').slice(0, -1).join(' › ');
  if (parent(x.source.section) !== parent(y.source.section)) return false;
  const leaves = [leafOf(x.source.section), leafOf(y.source.section)];
  if (leaves.every((leaf) => placesIn(leaf).size > 0 || isElsewhere(leaf))) return true;
  // "Cancel in the app" / "Cancel on the website"; "Standard (Ninja Van)" / "Standard (J&T)".
  const shareTerm = (p: string, q: string) => {
    const terms = new Set(toTerms(p));
    return toTerms(q).some((t) => terms.has(t));
  };
  return shareTerm(leaves[0]!, leaves[1]!) || shareTerm(x.label, y.label);
}

/**
 * Among parallel parts — items of one list, rows of one table, sibling sections of one article —
 * named for a country, plan or option: when some are named for what the customer is known to
 * have, the others are dropped. When none is, all stay, each under its own label.
 */
function pickDetail(
  units: ScoredUnit[],
  details: CustomerDetails,
  said: Set<string>,
): ScoredUnit[] {
  const labelFits = fitsCustomer(details, said);

  // Own labels first: list items and table rows of one block.
  let kept = units;
  const byBlock = groupBy(kept, (s) => `${s.unit.source.index}:${s.unit.block}`);
  for (const group of byBlock.values()) {
    const labelled = group.filter((s) => s.unit.label && s.unit !== s.blockOf.lead);
    if (labelled.length < 2) continue;
    const labels = labelled.map((s) => s.unit.label);
    const fits = labelled.filter((s) => labelFits(s.unit.label, labels));
    if (fits.length > 0 && fits.length < labelled.length) {
      const drop = new Set(labelled.filter((s) => !fits.includes(s)));
      kept = kept.filter((s) => !drop.has(s));
    }
  }

  // Then sections named for a place: Singapore, Malaysia, International.
  const byArticle = groupBy(kept, (s) => s.unit.source.title);
  for (const group of byArticle.values()) {
    const leaves = [...new Set(group.map((s) => leafOf(s.unit.source.section)))];
    const placeLeaves = leaves.filter((leaf) => placesIn(leaf).size > 0 || isElsewhere(leaf));
    if (placeLeaves.length === 0) continue;
    const fitting = placeLeaves.filter((leaf) => labelFits(leaf, placeLeaves));
    if (details.places.size === 0 && fitting.length === 0) continue;
    const drop = new Set(placeLeaves.filter((leaf) => !fitting.includes(leaf)));
    kept = kept.filter(
      (s) =>
        s.unit.source.title !== group[0]!.unit.source.title ||
        !drop.has(leafOf(s.unit.source.section)),
    );
  }
  // Units that say the same for everyone but name another place in passing stay.
  return kept.length > 0 ? kept : units;
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export const leafOf = (section: string) => section.split(' › ').at(-1)?.trim() ?? '';
