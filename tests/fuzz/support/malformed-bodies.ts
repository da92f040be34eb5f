import fc from 'fast-check';
import {
  exampleOf,
  type IdsByField,
  type Json,
  type JsonSchema,
  resolve,
  typeOf,
  UNIQUE_ID,
  variantsOf,
} from './json-schema';

/** One request body to send, with the headers that describe it. */
export interface BodyCase {
  label: string;
  /** Content-Type to send; left out when undefined (FormData brings its own). */
  contentType?: string;
  body?: string | FormData | Uint8Array;
}

export interface BodyFuzzOptions {
  /** The route's body as JSON Schema, or undefined when it takes no body. */
  schema?: JsonSchema;
  accepts: 'json' | 'multipart' | 'none';
  ids?: IdsByField;
  seed: number;
  /** At least this many cases; random ones from fast-check fill up to it. */
  minCases: number;
  /**
   * Whether the route's own schema accepts a value. Random bodies it accepts are mostly left
   * out (a few are kept): well-formed requests are not what is fuzzed, and some are slow
   * (retraining the classifier, re-indexing a document).
   */
  isWellFormed?: (value: unknown) => boolean;
}

/** Random bodies the schema accepts that are still sent, per route. */
const RANDOM_WELL_FORMED = 4;

const JSON_TYPE = 'application/json';

const BODYLESS_ROUTE_TYPES = [
  JSON_TYPE,
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
];

/** Characters PostgreSQL refuses in text and jsonb, and halves of a surrogate pair. */
const UNSAFE_PIECES = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDE00\uD83D'];

/** Characters of more than one UTF-16 unit that a cut at the wrong index would split. */
export const STRADDLERS = [
  '😀', // a surrogate pair
  '👨‍👩‍👧‍👦', // a ZWJ family, 11 units
  '🇫🇷', // a flag: two regional indicators
  'e\u0301', // a combining accent
  '👍🏽', // a skin-tone modifier
];

/** Where text with no maximum of its own is cut: the one-line summary of a message. */
const SUMMARY_CUT = 120;

const FILLER = 'my parcel is late again and nobody answers ';

/** `length` characters of plausible text, ending on a letter so nothing trims it. */
function filler(length: number): string {
  const text = FILLER.repeat(Math.ceil(length / FILLER.length) + 1).slice(0, length);
  return text.endsWith(' ') ? `${text.slice(0, -1)}x` : text;
}

/**
 * Texts longer than `cut` with each wide character starting at every offset from just before it
 * to the cut itself, so whatever cuts there would split it; and, for each, the text that ends
 * exactly at the cut with the character last (the longest a limit of `cut` accepts).
 */
export function emojiAroundCut(
  cut: number,
  straddlers: readonly string[] = STRADDLERS,
): { label: string; text: string }[] {
  const texts: { label: string; text: string }[] = [];
  for (const straddler of straddlers) {
    for (let start = Math.max(0, cut - straddler.length - 1); start <= cut; start++) {
      texts.push({
        label: `${showInvisible(straddler)} at ${start} (cut ${cut})`,
        text: `${filler(start)}${straddler} and then some more words`,
      });
    }
    if (cut >= straddler.length) {
      texts.push({
        label: `${showInvisible(straddler)} ending at the cut ${cut}`,
        text: `${filler(cut - straddler.length)}${straddler}`,
      });
    }
  }
  return texts;
}

/** Raw JSON tokens JSON.stringify cannot write (1e999, -0.0…), spliced in after stringifying. */
const RAW = '\uE000raw:';
const raw = (token: string) => `${RAW}${token}`;
let written = 0;
/** JSON text of a body: raw tokens spliced in, and each unique id placeholder made unique. */
const stringify = (value: unknown) =>
  (JSON.stringify(value) ?? 'null')
    .replace(/"\uE000raw:([^"]*)"/g, (_, token: string) => token)
    .replaceAll(UNIQUE_ID, () => `fuzz-id-${++written}`);

type Path = (string | number)[];

interface Field {
  path: Path;
  node: JsonSchema;
  value: Json;
}

/** The example instance's every node (the root included), with the schema node it matches. */
function fieldsOf(value: Json, node: JsonSchema, root: JsonSchema, path: Path = []): Field[] {
  const resolved = resolve(node, root);
  const variants = variantsOf(resolved);
  const own = variants ? pickVariant(value, variants, root) : resolved;
  const fields: Field[] = [{ path, node: own, value }];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemNode = own.prefixItems?.[index] ?? own.items ?? {};
      fields.push(...fieldsOf(item, itemNode, root, [...path, index]));
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const extra = typeof own.additionalProperties === 'object' ? own.additionalProperties : {};
      fields.push(...fieldsOf(item, own.properties?.[key] ?? extra, root, [...path, key]));
    }
  }
  return fields;
}

/** The union variant an example value came from: the first whose type and constants match it. */
function pickVariant(value: Json, variants: JsonSchema[], root: JsonSchema): JsonSchema {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const matches = variants
    .map((v) => resolve(v, root))
    .filter((v) => {
      const t = typeOf(v);
      return t === type || (type === 'number' && t === 'integer');
    });
  const withConstants = matches.find((v) =>
    Object.entries(v.properties ?? {}).every(([key, property]) => {
      const expected = resolve(property, root).const;
      return (
        expected === undefined ||
        (value !== null &&
          typeof value === 'object' &&
          (value as Record<string, Json>)[key] === expected)
      );
    }),
  );
  return withConstants ?? matches[0] ?? variants[0] ?? {};
}

function setAt(value: Json, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  parent[path.at(-1)!] = replacement;
  return copy;
}

function removeAt(value: Json, path: Path): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  delete parent[path.at(-1)!];
  return copy;
}

const nested = (depth: number, inner: unknown = 'x'): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const WRONG_TYPES: Record<string, unknown[]> = {
  string: [null, 0, -1, 1.5, true, [], {}, ['text'], { text: 'x' }, nested(100)],
  number: [null, 'one', '1', '', true, [], {}, [1], raw('1e999'), raw('-1e999')],
  integer: [null, '1', 1.5, -0.5, true, [], {}, raw('1e999'), 2 ** 53 + 2, -(2 ** 53) - 2],
  boolean: [null, 'true', 'false', 0, 1, [], {}, [true]],
  array: [null, 'item', 0, true, {}, { 0: 'x' }, nested(100)],
  object: [null, 'object', 0, true, [], [{}], nested(100)],
  null: ['null', 0, false, [], {}],
};

function stringMutations(node: JsonSchema, value: Json): { label: string; value: unknown }[] {
  const text = typeof value === 'string' ? value : 'text';
  const out: { label: string; value: unknown }[] = [];
  for (const piece of UNSAFE_PIECES) {
    out.push({ label: `contains ${showInvisible(piece)}`, value: `${text}${piece}` });
    out.push({ label: `starts with ${showInvisible(piece)}`, value: `${piece}${text}` });
  }
  out.push({ label: 'only NUL', value: '\u0000' });
  out.push({ label: 'lone surrogate in the middle', value: `ab\uD83Dcd` });
  out.push({ label: 'empty', value: '' });
  out.push({ label: 'only spaces', value: '   ' });
  out.push({ label: 'unicode (CJK, RTL, emoji)', value: '我的包裹 مرحبا 👋🏽 ﷽' });
  out.push({ label: 'right-to-left override and zero-width', value: '\u202E\u200B\u200D\uFEFF' });
  out.push({ label: 'control characters', value: '\u0001\u0007\u001B[31m\r\n\t' });
  const max = node.maxLength;
  if (max !== undefined) {
    out.push({ label: `${max + 1} characters (max ${max})`, value: 'a'.repeat(max + 1) });
    out.push({ label: `${max} emoji (max ${max} units)`, value: '😀'.repeat(max) });
  }
  if (node.minLength) {
    out.push({ label: `${node.minLength - 1} characters`, value: 'a'.repeat(node.minLength - 1) });
  }
  out.push({ label: '20,000 characters', value: filler(20_000) });
  out.push({ label: '70,000 characters (over 64 KB)', value: 'a'.repeat(70_000) });
  // Formatted and patterned strings are refused before any cut; a few emoji are enough there.
  // Elsewhere every wide character sits at every offset around the field's own maximum, and a
  // surrogate pair around the 120 characters of a message's one-line summary.
  const shaped = node.format !== undefined || node.pattern !== undefined;
  if (!shaped) {
    for (const { label, text: emoji } of emojiAroundCut(max ?? SUMMARY_CUT)) {
      out.push({ label, value: emoji });
    }
    if (max !== undefined && max > SUMMARY_CUT) {
      for (const { label, text: emoji } of emojiAroundCut(SUMMARY_CUT, ['😀'])) {
        out.push({ label, value: emoji });
      }
    }
  }
  if (shaped) {
    out.push({ label: 'emoji appended', value: `${text}😀` });
    out.push({ label: 'family emoji', value: '👨‍👩‍👧‍👦' });
  }
  return out;
}

function numberMutations(node: JsonSchema): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [
    { label: 'negative', value: -1 },
    { label: 'zero', value: 0 },
    { label: 'huge', value: 1e308 },
    { label: 'beyond double range', value: raw('1e999') },
    { label: 'fraction', value: 0.5 },
    { label: 'negative zero', value: raw('-0.0') },
    { label: 'beyond int64', value: raw('99999999999999999999999') },
  ];
  if (node.minimum !== undefined) out.push({ label: 'below minimum', value: node.minimum - 1 });
  if (node.maximum !== undefined) out.push({ label: 'above maximum', value: node.maximum + 1 });
  return out;
}

function arrayMutations(node: JsonSchema, value: Json): { label: string; value: unknown }[] {
  const first = Array.isArray(value) && value.length > 0 ? value[0] : 'x';
  const out: { label: string; value: unknown }[] = [
    { label: 'empty array', value: [] },
    { label: '2,000 items', value: Array.from({ length: 2000 }, () => first) },
    { label: 'items of the wrong type', value: [null, 1, 'x', {}, []] },
    { label: 'items with NUL', value: ['\u0000', { '\u0000': '\u0000' }] },
  ];
  if (node.maxItems !== undefined) {
    out.push({
      label: `${node.maxItems + 1} items (max ${node.maxItems})`,
      value: Array.from({ length: node.maxItems + 1 }, () => first),
    });
  }
  return out;
}

function objectMutations(node: JsonSchema, value: Json): { label: string; value: unknown }[] {
  const object = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const out: { label: string; value: unknown }[] = [
    { label: 'empty object', value: {} },
    { label: 'extra field', value: { ...object, unexpectedField: 'surprise' } },
    { label: 'NUL in a key', value: { ...object, 'bad\u0000key': 'x' } },
    { label: 'lone surrogate key', value: { ...object, '\uD800': 'x' } },
    { label: 'emoji key', value: { ...object, '👨‍👩‍👧‍👦': 'x' } },
    { label: '__proto__ key', value: JSON.parse(`{"__proto__":{"admin":true},"x":1}`) },
    { label: 'constructor key', value: { ...object, constructor: { prototype: 1 } } },
    {
      label: '5,000 keys',
      value: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
    },
  ];
  for (const key of node.required ?? []) {
    if (key in object) out.push({ label: `without ${key}`, value: removeAt(object, [key]) });
  }
  for (const key of Object.keys(object)) {
    out.push({ label: `${key}: null`, value: { ...object, [key]: null } });
  }
  return out;
}

/** Bodies built by hand around the example: each field broken in each way, one at a time. */
function fieldCases(schema: JsonSchema, ids?: IdsByField): BodyCase[] {
  const cases: BodyCase[] = [];
  for (const example of examplesOf(schema, ids)) {
    for (const field of fieldsOf(example, schema, schema)) {
      const where = field.path.length ? field.path.join('.') : '(body)';
      const type = field.node.const !== undefined || field.node.enum ? 'enum' : typeOf(field.node);
      const mutations: { label: string; value: unknown }[] = [];
      for (const wrong of WRONG_TYPES[type ?? ''] ?? WRONG_TYPES.string!) {
        mutations.push({ label: `wrong type ${preview(stringify(wrong), 30)}`, value: wrong });
      }
      if (type === 'string') mutations.push(...stringMutations(field.node, field.value));
      if (type === 'number' || type === 'integer') mutations.push(...numberMutations(field.node));
      if (type === 'array') mutations.push(...arrayMutations(field.node, field.value));
      if (type === 'object') mutations.push(...objectMutations(field.node, field.value));
      if (type === 'enum') {
        mutations.push({ label: 'not one of the choices', value: 'NOT_A_CHOICE' });
        for (const piece of UNSAFE_PIECES) {
          mutations.push({
            label: `contains ${showInvisible(piece)}`,
            value: `${String(field.value)}${piece}`,
          });
        }
        mutations.push({ label: 'choice upper-cased', value: String(field.value).toUpperCase() });
      }
      mutations.push({ label: 'nested 70 deep', value: nested(70) });
      for (const mutation of mutations) {
        cases.push({
          label: `${where}: ${mutation.label}`,
          contentType: JSON_TYPE,
          body: stringify(setAt(example, field.path, mutation.value)),
        });
      }
    }
  }
  return cases;
}

/** The base example and one more for each variant of each union, so every branch is broken too. */
function examplesOf(schema: JsonSchema, ids?: IdsByField): Json[] {
  const base = exampleOf(schema, schema, { ids });
  const examples = [base];
  const unions = new Set<JsonSchema>();
  const collect = (node: JsonSchema, depth: number) => {
    const resolved = resolve(node, schema);
    if (depth > 6) return;
    const variants = variantsOf(resolved);
    if (variants) {
      unions.add(resolved);
      for (const v of variants) collect(v, depth + 1);
    }
    for (const p of Object.values(resolved.properties ?? {})) collect(p, depth + 1);
    if (resolved.items) collect(resolved.items, depth + 1);
    for (const p of resolved.prefixItems ?? []) collect(p, depth + 1);
  };
  collect(schema, 0);
  for (const union of unions) {
    variantsOf(union)!.forEach((variant, index) => {
      if (typeOf(resolve(variant, schema)) === 'null') return;
      examples.push(exampleOf(schema, schema, { ids, choose: new Map([[union, index]]) }));
    });
  }
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whole-body breakage that does not depend on the schema. */
function bodyCases(example: Json): BodyCase[] {
  const valid = stringify(example);
  const json = (label: string, body: string): BodyCase => ({
    label,
    contentType: JSON_TYPE,
    body,
  });
  const form = new FormData();
  for (const [key, value] of Object.entries(
    example && typeof example === 'object' && !Array.isArray(example)
      ? example
      : { value: example },
  )) {
    form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
  const urlEncoded = new URLSearchParams(
    Object.entries(
      example && typeof example === 'object' && !Array.isArray(example) ? example : {},
    ).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
  return [
    json('the example body', valid),
    json('empty object (empty PATCH)', '{}'),
    json('empty body', ''),
    json('JSON null', 'null'),
    json('JSON array', '[]'),
    json('array holding the body', `[${valid}]`),
    json('JSON string', '"text"'),
    json('JSON number', '0'),
    json('JSON true', 'true'),
    json('truncated JSON', valid.slice(0, Math.max(1, Math.floor(valid.length / 2)))),
    json('unclosed brace', '{'),
    json('single quotes', "{'a': 1}"),
    json('trailing comma', '{"a": 1,}'),
    json('two documents', `${valid}${valid}`),
    json('NaN', '{"a": NaN}'),
    json('undefined', 'undefined'),
    json('a lone NUL', '\u0000'),
    json('NUL after the JSON', `${valid}\u0000`),
    json('byte order mark first', `\uFEFF${valid}`),
    json('escaped lone surrogate key', '{"\\ud800": 1}'),
    json('escaped NUL key', '{"\\u0000": 1}'),
    json('invalid escape', '{"a": "\\x41"}'),
    json('number beyond double range', '1e999'),
    json('arrays nested 100 deep', `${'['.repeat(100)}${']'.repeat(100)}`),
    json('arrays nested 20,000 deep', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    json('objects nested 5,000 deep', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
    json('unclosed arrays 10,000 deep', '['.repeat(10_000)),
    json('2 MB string', `{"a":"${'a'.repeat(2 * 1024 * 1024)}"}`),
    { label: 'invalid UTF-8 bytes', contentType: JSON_TYPE, body: invalidUtf8(valid) },
    { label: 'text/plain JSON', contentType: 'text/plain', body: valid },
    {
      label: 'text/plain;charset=UTF-8 JSON',
      contentType: 'text/plain;charset=UTF-8',
      body: valid,
    },
    {
      label: 'form-urlencoded',
      contentType: 'application/x-www-form-urlencoded',
      body: urlEncoded || 'a=1',
    },
    {
      label: 'form-urlencoded holding JSON',
      contentType: 'application/x-www-form-urlencoded',
      body: valid,
    },
    { label: 'multipart form', body: form },
    { label: 'multipart without a boundary', contentType: 'multipart/form-data', body: valid },
    {
      label: 'multipart with a broken body',
      contentType: 'multipart/form-data; boundary=xyz',
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.txt"\r\n\r\nhi',
    },
    { label: 'no content type', body: valid },
    { label: 'JSON as UTF-16', contentType: 'application/json; charset=utf-16', body: valid },
    { label: 'application/jsonp', contentType: 'application/jsonp', body: valid },
    { label: 'application/xml', contentType: 'application/xml', body: '<a>1</a>' },
    { label: 'JSON upper-case type', contentType: 'APPLICATION/JSON', body: valid },
    { label: 'JSON with charset', contentType: 'application/json; charset=utf-8', body: valid },
    { label: 'vnd+json', contentType: 'application/vnd.api+json', body: valid },
    {
      label: 'octet-stream',
      contentType: 'application/octet-stream',
      body: new Uint8Array([0, 1, 2, 255]),
    },
  ];
}

/** Uploads broken in the ways a browser or a script can send them. */
function multipartCases(): BodyCase[] {
  const withFile = (label: string, name: string, content: BlobPart, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    return { label, body: form } satisfies BodyCase;
  };
  const withField = (label: string, name: string, value: string) => {
    const form = new FormData();
    form.append(name, value);
    form.append('file', new Blob(['# Hello\n\nSome text.'], { type: 'text/markdown' }), 'a.md');
    return { label, body: form } satisfies BodyCase;
  };
  return [
    withFile('file named with NUL', 'guide\u0000.md', '# Guide\n\nText.', 'text/markdown'),
    withFile('file named with a lone surrogate', 'guide\uD800.md', '# Guide', 'text/markdown'),
    withFile('file named with emoji', '👨‍👩‍👧‍👦.md', '# Family', 'text/markdown'),
    withFile('file with an empty name', '', '# Guide', 'text/markdown'),
    withFile('file named 5,000 characters', `${'a'.repeat(5000)}.md`, '# A', 'text/markdown'),
    withFile('empty file', 'empty.md', '', 'text/markdown'),
    withFile('NUL bytes in a text file', 'nul.txt', 'a\u0000b\u0000c', 'text/plain'),
    withFile('invalid UTF-8 in a text file', 'bad.txt', invalidUtf8('hello'), 'text/plain'),
    withFile('garbage HTML', 'page.html', '<html><<<<</a><script>\u0000', 'text/html'),
    withFile('garbage PDF', 'doc.pdf', '%PDF-1.7 garbage \u0000', 'application/pdf'),
    withFile('garbage DOCX', 'doc.docx', 'PK\u0003\u0004garbage', wordType),
    withFile('an executable', 'setup.exe', 'MZ\u0090\u0000', 'application/x-msdownload'),
    withFile('no media type', 'data', 'hello', ''),
    withFile('a lying media type', 'a.pdf', 'just text', 'application/pdf'),
    withField('text field with NUL', 'category', 'billing\u0000'),
    withField('text field with a lone surrogate', 'category', '\uDC00'),
    withField('text field 70,000 characters', 'category', 'a'.repeat(70_000)),
    withField('field named with NUL', 'a\u0000b', 'x'),
    { label: 'multipart with no parts', body: new FormData() },
  ];
}

const wordType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function invalidUtf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(new ArrayBuffer(bytes.length + 4));
  out.set(bytes.slice(0, Math.floor(bytes.length / 2)));
  out.set([0xc0, 0xaf, 0xed, 0xa0], Math.floor(bytes.length / 2));
  out.set(bytes.slice(Math.floor(bytes.length / 2)), Math.floor(bytes.length / 2) + 4);
  return out;
}

/** Random bodies from the schema: mostly well-formed, each node sometimes broken. */
export function schemaArbitrary(
  node: JsonSchema,
  root: JsonSchema,
  ids?: IdsByField,
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolve(node, root);
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.string({ maxLength: 10 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  );
  const broken = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: wrong });
  if (depth > 6) return fc.constant(null);
  if (resolved.const !== undefined) return broken(fc.constant(resolved.const));
  if (resolved.enum) return broken(fc.constantFrom(...resolved.enum));
  const variants = variantsOf(resolved);
  if (variants) return fc.oneof(...variants.map((v) => schemaArbitrary(v, root, ids, depth + 1)));
  switch (typeOf(resolved)) {
    case 'string': {
      const example = exampleOf(resolved, root, { ids }) as string;
      const cut = resolved.maxLength ?? 120;
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(example) },
        {
          weight: 3,
          arbitrary: fc.string({
            unit: 'grapheme',
            minLength: resolved.minLength ?? 0,
            maxLength: Math.min(resolved.maxLength ?? 300, 300),
          }),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.string({ unit: 'grapheme', maxLength: 20 }),
              fc.constantFrom(...UNSAFE_PIECES),
              fc.string({ unit: 'grapheme', maxLength: 20 }),
            )
            .map((parts) => parts.join('')),
        },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.integer({ min: Math.max(0, cut - 12), max: cut }),
              fc.constantFrom(...STRADDLERS),
            )
            .map(([start, straddler]) => `${filler(start)}${straddler}${filler(3)}`),
        },
        { weight: 1, arbitrary: wrong },
      );
    }
    case 'integer':
      return broken(
        fc.integer({
          min: Math.max(resolved.minimum ?? -1_000_000, -(2 ** 31)),
          max: Math.min(resolved.maximum ?? 1_000_000, 2 ** 31),
        }),
      );
    case 'number':
      return broken(fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return broken(fc.boolean());
    case 'null':
      return broken(fc.constant(null));
    case 'array':
      return broken(
        fc.array(schemaArbitrary(resolved.items ?? {}, root, ids, depth + 1), {
          minLength: Math.min(resolved.minItems ?? 0, 4),
          maxLength: Math.min(resolved.maxItems ?? 4, 4),
        }),
      );
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(resolved.properties ?? {}).map(([key, property]) => [
          key,
          schemaArbitrary(property, root, ids, depth + 1),
        ]),
      );
      const required = (resolved.required ?? []).filter((key) => key in properties);
      const extraKeys = fc.dictionary(
        fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 2 },
      );
      const record = fc.oneof(
        { weight: 4, arbitrary: fc.record(properties, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(properties, { requiredKeys: [] }) },
      );
      return broken(
        fc
          .tuple(record, fc.option(extraKeys, { freq: 4 }))
          .map(([value, extra]) => (extra ? { ...extra, ...value } : value)),
      );
    }
    default:
      return fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), fc.string(), { maxKeys: 3 }),
      );
  }
}

/**
 * At least `minCases` malformed (and some well-formed) bodies for one route: the hand-built
 * breakage of every field of its schema first, then random bodies from fast-check with the seed.
 */
export function malformedBodies(options: BodyFuzzOptions): BodyCase[] {
  const schema = options.schema ?? {};
  const example = options.schema ? exampleOf(schema, schema, { ids: options.ids }) : {};
  const cases: BodyCase[] = [...bodyCases(example)];
  if (options.schema) cases.push(...fieldCases(schema, options.ids));
  if (options.accepts === 'multipart') cases.push(...multipartCases());

  const randomCount = Math.max(60, options.minCases - cases.length);
  const arbitrary = options.schema
    ? schemaArbitrary(schema, schema, options.ids)
    : fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 40 }));
  const seen = new Set(cases.map(caseKey));
  let added = 0;
  let wellFormed = 0;
  // A small schema has few distinct malformed bodies per batch: draw more until there are enough.
  for (let batch = 0; added < randomCount && batch < 8; batch++) {
    const seed = options.seed + batch;
    const samples = fc.sample(arbitrary, { seed, numRuns: randomCount * 2 });
    for (const [index, sample] of samples.entries()) {
      if (added >= randomCount) break;
      const body: BodyCase = {
        label: `random #${index} (seed ${seed})`,
        // A route that reads no body ignores any JSON: most of its random bodies go with a
        // type it must refuse, rather than repeating the same request hundreds of times.
        contentType: options.schema ? JSON_TYPE : BODYLESS_ROUTE_TYPES[added % 4],
        body: stringify(sample),
      };
      if (seen.has(caseKey(body))) continue;
      if (options.isWellFormed?.(sample)) {
        if (wellFormed >= RANDOM_WELL_FORMED) continue;
        wellFormed += 1;
      }
      seen.add(caseKey(body));
      cases.push(body);
      added += 1;
    }
  }
  return cases;
}

const caseKey = (c: BodyCase) =>
  typeof c.body === 'string' ? `${c.contentType}\n${c.body}` : `${c.label}`;

/** A short, printable look at a value for labels and reports. */
export function preview(value: unknown, max = 160): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof FormData) {
    text = `FormData ${JSON.stringify(
      [...value.entries()].map(([k, v]) => [
        k,
        typeof v === 'string' ? v.slice(0, 40) : `File(${v.name}, ${v.type}, ${v.size} B)`,
      ]),
    )}`;
  } else if (value instanceof Uint8Array) text = `bytes[${value.length}]`;
  else text = stringify(value) ?? String(value);
  const shown = showInvisible(
    text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text,
  );
  return shown;
}

/** Makes NUL, lone surrogates and other invisible characters visible in labels. */
export function showInvisible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
  );
}

const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it shows.
  /[\u0000-\u001F\u007F\u200B-\u200F\u202A-\u202E\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
