import fc from 'fast-check';
import { z } from 'zod';

/** The part of JSON Schema (2020-12, as `z.toJSONSchema` writes it) the fuzzer reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A route's body or query schema as JSON Schema, describing what a caller sends (its input). */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    // A schema JSON Schema cannot describe at all is fuzzed as "anything".
    return {};
  }
}

/** Follows `$ref`s (`#` or `#/$defs/name`) to the schema they name. */
export function resolve(node: JsonSchema, root: JsonSchema): JsonSchema {
  let current = node;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const ref = current.$ref;
    if (ref === '#') current = root;
    else {
      const name = ref.replace(/^#\/(\$defs|definitions)\//, '');
      current = root.$defs?.[name] ?? {};
    }
  }
  return current;
}

export const variantsOf = (node: JsonSchema) => node.anyOf ?? node.oneOf;

/** The node's JSON type, the first non-null one when it allows several. */
export function typeOf(node: JsonSchema): string | undefined {
  if (node.const !== undefined) return jsonTypeOf(node.const);
  if (node.enum) return jsonTypeOf(node.enum[0]);
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types.find((t) => t !== 'null') ?? types[0] ?? (node.properties ? 'object' : undefined);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? 'number' : typeof value;
}

/** Real ids the fuzzer owns, put into uuid fields by name so valid-looking bodies reach deep code. */
export type IdsByField = (field: string) => string | undefined;

const NOTHING_UUID = '5a0c3b1e-9d2f-4e6a-8b7c-1f2e3d4c5b6a';

/** Stands for an id that `stringify` makes unique in each body it writes. */
export const UNIQUE_ID = 'fuzz-id-\uE001';

/**
 * One instance the schema accepts, as far as its JSON Schema says (refinements and transforms
 * are invisible there, so it may still be refused). `choose` picks the variant of each union
 * node; `depth` stops recursive schemas.
 */
export function exampleOf(
  node: JsonSchema,
  root: JsonSchema,
  options: { ids?: IdsByField; field?: string; choose?: Map<JsonSchema, number>; depth?: number },
): Json {
  const depth = options.depth ?? 0;
  const resolved = resolve(node, root);
  if (depth > 8) return null;
  if (resolved.const !== undefined) return resolved.const as Json;
  if (resolved.enum) return resolved.enum[0] as Json;
  if (resolved.default !== undefined && typeOf(resolved) === undefined)
    return resolved.default as Json;
  const variants = variantsOf(resolved);
  if (variants) {
    const pick = options.choose?.get(resolved) ?? firstNonNull(variants, root);
    return exampleOf(variants[pick]!, root, { ...options, depth: depth + 1 });
  }
  if (resolved.allOf) {
    const merged: Record<string, Json> = {};
    for (const part of resolved.allOf) {
      const value = exampleOf(part, root, { ...options, depth: depth + 1 });
      if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(merged, value);
    }
    return merged;
  }
  switch (typeOf(resolved)) {
    case 'string':
      return exampleString(resolved, options.field, options.ids);
    case 'integer':
    case 'number':
      return exampleNumber(resolved);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const count = Math.min(Math.max(resolved.minItems ?? 0, 1), resolved.maxItems ?? 1);
      const items =
        resolved.prefixItems ?? Array.from({ length: count }, () => resolved.items ?? {});
      return items.map((item) => exampleOf(item, root, { ...options, depth: depth + 1 }));
    }
    case 'object': {
      const value: Record<string, Json> = {};
      for (const [key, property] of Object.entries(resolved.properties ?? {})) {
        value[key] = exampleOf(property, root, { ...options, field: key, depth: depth + 1 });
      }
      const extra = resolved.additionalProperties;
      if (!resolved.properties && extra && typeof extra === 'object') {
        value.plan = exampleOf(extra, root, { ...options, field: 'plan', depth: depth + 1 });
      }
      return value;
    }
    default:
      return 'anything';
  }
}

function firstNonNull(variants: JsonSchema[], root: JsonSchema): number {
  const index = variants.findIndex((v) => typeOf(resolve(v, root)) !== 'null');
  return Math.max(index, 0);
}

function exampleNumber(node: JsonSchema): number {
  const low = node.minimum ?? (node.exclusiveMinimum ?? -Infinity) + 1;
  const high = node.maximum ?? (node.exclusiveMaximum ?? Infinity) - 1;
  const value = Number.isFinite(low) ? low : Number.isFinite(high) ? Math.min(high, 1) : 1;
  return node.type === 'integer' ? Math.ceil(value) : value;
}

function exampleString(node: JsonSchema, field: string | undefined, ids?: IdsByField): string {
  const fits = (s: string) =>
    s.length >= (node.minLength ?? 0) &&
    s.length <= (node.maxLength ?? Infinity) &&
    (!node.pattern || safeRegExp(node.pattern)?.test(s) !== false);
  const candidates: string[] = [];
  const known = field ? ids?.(field) : undefined;
  if (known) candidates.push(known);
  // A client-made id (a chat message's) must differ per request, or every body after the first
  // is refused as a repeat: each body written gets its own (see `stringify`).
  if (field === 'id' && !node.format) candidates.push(UNIQUE_ID);
  switch (node.format) {
    case 'uuid':
      candidates.push(NOTHING_UUID);
      break;
    case 'email':
      candidates.push('fuzz.customer@example.com');
      break;
    case 'uri':
    case 'url':
      candidates.push('https://help.example.com/fuzz');
      break;
    case 'date-time':
      candidates.push('2026-01-15T10:00:00.000Z');
      break;
    case 'date':
      candidates.push('2026-01-15');
      break;
    case 'time':
      candidates.push('09:30');
      break;
  }
  const pattern = node.pattern ? safeRegExp(node.pattern) : null;
  if (pattern) {
    candidates.push(
      ...fc.sample(fc.stringMatching(pattern, { size: 'small' }), { seed: 7, numRuns: 30 }),
    );
  }
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? 40;
  const words = 'Hello there, my parcel has not arrived yet and I would like to know why.';
  candidates.push(words.slice(0, Math.min(max, Math.max(min, 12))).padEnd(min, 'x'));
  return candidates.find(fits) ?? candidates[0]!;
}

export function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }
}
