import { type JsonSchema, resolve, typeOf } from './json-schema';
import { emojiAroundCut } from './malformed-bodies';

/** A path (with its query) exactly as it goes on the wire: percent-encoding left as written. */
export interface PathCase {
  label: string;
  path: string;
}

const NOTHING = '8d1f6c2a-4b3e-4f5a-9c7d-2e1b0a9f8e7d';

/** What can stand in a path segment instead of a real id, written as it goes in the URL. */
function segmentsInsteadOf(valid: string): [string, string][] {
  const encoded = encodeURIComponent(valid);
  return [
    ['malformed percent-encoding', '%E0%A4%A'],
    ['a lone percent sign', '%'],
    ['percent with non-hex digits', '%zz'],
    ['an encoded NUL', '%00'],
    ['NUL after the id', `${encoded}%00`],
    ['an encoded lone surrogate (CESU-8)', '%ED%A0%80'],
    ['an overlong UTF-8 slash', '%C0%AF'],
    ['an invalid UTF-8 byte', '%FF'],
    ['an encoded emoji', '%F0%9F%98%80'],
    ['raw unicode', 'ünïcødé-配送'],
    ['an encoded slash', `${encoded}%2Fextra`],
    ['encoded backslashes', '%5C..%5Cetc'],
    ['an encoded newline', 'a%0D%0Ab'],
    ['a trailing encoded space', `${encoded}%20`],
    ['quotes and SQL', encodeURIComponent("1' OR '1'='1")],
    ['not a UUID', 'not-a-uuid'],
    ['a number', '12345'],
    ['a negative number', '-1'],
    ['a UUID of nothing', NOTHING],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['the max UUID', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['the id upper-cased', encoded.toUpperCase()],
    ['the id without dashes', encoded.replaceAll('-', '')],
    ['the id in braces', `%7B${encoded}%7D`],
    ['an overlong id (5,000 characters)', 'a'.repeat(5000)],
    ['a UUID twice', `${NOTHING}${NOTHING}`],
    ['the id with .json', `${encoded}.json`],
    ['null', 'null'],
    ['the route template', '%5Bid%5D'],
  ];
}

/** Query strings any route may be sent, whatever it reads. */
const GARBAGE_QUERIES: [string, string][] = [
  ['q=%00', '?q=%00'],
  ['a NUL key', '?%00=1'],
  ['malformed percent-encoding', '?q=%E0%A4%A'],
  ['a lone percent sign', '?q=%'],
  ['an encoded lone surrogate', '?q=%ED%A0%80'],
  ['a raw emoji', '?q=😀'],
  ['repeated keys', '?limit=1&limit=2&limit=abc&q=a&q=%00'],
  ['array-style keys', '?q[]=1&q[]=2&limit[$gt]=1'],
  ['prototype keys', '?__proto__=x&constructor=1'],
  ['empty pairs', '?=&&&=x&'],
  ['a huge value', `?q=${'a'.repeat(100_000)}`],
  ['many keys', `?${Array.from({ length: 2000 }, (_, i) => `k${i}=${i}`).join('&')}`],
  ['a session of NUL', '?session=%00'],
  ['a garbage cursor', '?cursor=%ED%A0%80&limit=-1'],
];

/** Values to try for one query key the route declares. */
function valuesForKey(node: JsonSchema): [string, string][] {
  const values: [string, string][] = [
    ['NUL', '%00'],
    ['malformed percent-encoding', '%E0%A4%A'],
    ['empty', ''],
    ['a lone surrogate', '%ED%A0%80'],
    ['huge', 'a'.repeat(20_000)],
    ['negative', '-1'],
    ['not a number', 'abc'],
    ['beyond double range', '1e309'],
    ['beyond int64', '99999999999999999999'],
    ['a fraction', '0.5'],
    ['an emoji', '%F0%9F%98%80'],
    ['true', 'true'],
  ];
  if (typeOf(node) === 'string' && node.maxLength !== undefined) {
    for (const { label, text } of emojiAroundCut(node.maxLength).slice(0, 8)) {
      values.push([label, encodeURIComponent(text)]);
    }
  }
  return values;
}

/**
 * At least 20 malformed paths and queries for one route: each dynamic segment replaced in turn
 * (the others keep their real value), garbage queries, and broken values for each declared key.
 */
export function malformedPaths(
  template: string,
  valid: Record<string, string>,
  query?: JsonSchema,
): PathCase[] {
  const build = (replace?: { name: string; raw: string }) =>
    template.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) =>
      replace?.name === name ? replace.raw : encodeURIComponent(valid[name] ?? NOTHING),
    );
  const cases: PathCase[] = [];
  for (const name of Object.keys(valid)) {
    for (const [label, raw] of segmentsInsteadOf(valid[name]!)) {
      cases.push({ label: `[${name}]: ${label}`, path: build({ name, raw }) });
    }
  }
  const base = build();
  for (const [label, query] of GARBAGE_QUERIES) {
    cases.push({ label: `query: ${label}`, path: `${base}${query}` });
  }
  const keys = query ? Object.entries(resolve(query, query).properties ?? {}) : [];
  for (const [key, node] of keys) {
    for (const [label, value] of valuesForKey(resolve(node, query!))) {
      cases.push({ label: `?${key}: ${label}`, path: `${base}?${key}=${value}` });
    }
    cases.push({ label: `?${key}: repeated`, path: `${base}?${key}=1&${key}=x&${key}=%00` });
  }
  return cases;
}
