import { readFileSync } from 'node:fs';
import path from 'node:path';

interface OtherShops {
  /** Latin names as lower-case word sequences ("best buy"). */
  latin: string[][];
  chinese: string[];
}

let shops: OtherShops | null = null;

/** The lexicon of other shops and marketplaces (content/lexicons/other-shops.json), read once. */
function loadShops(): OtherShops {
  if (shops) return shops;
  const file = path.join(process.cwd(), 'content', 'lexicons', 'other-shops.json');
  const { shops: names } = JSON.parse(readFileSync(file, 'utf8')) as { shops: string[] };
  shops = {
    latin: names.filter((n) => !/\p{Script=Han}/u.test(n)).map(wordsIn),
    chinese: names.filter((n) => /\p{Script=Han}/u.test(n)),
  };
  return shops;
}

const wordsIn = (text: string) =>
  (text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) as string[];

/** The other shops a text names, as written in the lexicon's words ("best buy", "淘宝"). */
export function otherShopsIn(text: string): string[] {
  const { latin, chinese } = loadShops();
  const words = wordsIn(text);
  const found = latin
    .filter((name) => words.some((_, i) => name.every((part, j) => words[i + j] === part)))
    .map((name) => name.join(' '));
  for (const name of chinese) if (text.includes(name)) found.push(name);
  return found;
}

/**
 * Whether the question is about another shop: it names one that neither the business (its own
 * name) nor any of the passages found for it mention — "my Shopee order", "cheaper on Lazada".
 * The articles share its other words ("order", "status", "price") but not the business it is
 * about.
 */
export function asksAboutOtherShop(
  question: string,
  context: { businessName: string; passages: readonly string[] },
): boolean {
  const named = otherShopsIn(question);
  if (named.length === 0) return false;
  const known = new Set([
    ...otherShopsIn(context.businessName),
    ...context.passages.flatMap(otherShopsIn),
  ]);
  return named.some((name) => !known.has(name));
}
