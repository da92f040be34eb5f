import { TandemError } from '@/lib/errors';
import type { CustomerAttribute } from './definition';

/*
 * Placeholders `{input.name}`, `{customer.email}` and (in reply templates) `{result.order.status}`
 * filled into an action's URL, headers, JSON body and reply. Each place escapes for itself: the
 * URL encodes, a header refuses line breaks, the body keeps values typed inside JSON, so a value
 * can never change the shape of the request it is put into.
 */

export interface TemplateValues {
  input: Record<string, unknown>;
  customer?: Partial<Record<CustomerAttribute, string | null>>;
  result?: unknown;
}

const PLACEHOLDER = /\{(input|customer|result)\.([^{}\s]+)\}/g;
const WHOLE_PLACEHOLDER = /^\{(input|customer|result)\.([^{}\s]+)\}$/;

function lookup(values: TemplateValues, scope: string, name: string): unknown {
  if (scope === 'input') return Object.hasOwn(values.input, name) ? values.input[name] : undefined;
  if (scope === 'customer') {
    const customer = values.customer ?? {};
    return Object.hasOwn(customer, name) ? customer[name as CustomerAttribute] : undefined;
  }
  return readPath(values.result, name);
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(display).filter(Boolean).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The URL with each value percent-encoded, so `../` or `?x=` in a value stays a value. */
export function renderUrl(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, scope: string, name: string) =>
    encodeURIComponent(display(lookup(values, scope, name))),
  );
}

/**
 * A header value; a line break in a value would start a new header, so it is refused, as is
 * anything HTTP cannot carry in a header (beyond Latin-1).
 */
export function renderHeader(template: string, values: TemplateValues): string {
  const rendered = template.replace(PLACEHOLDER, (_, scope: string, name: string) =>
    display(lookup(values, scope, name)),
  );
  if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(rendered)) {
    throw new TandemError(
      'bad_request:action',
      'A header value may not hold line breaks or characters beyond Latin-1; send such a value in the URL or body.',
    );
  }
  return rendered;
}

/**
 * The JSON body: a string that is only a placeholder takes the value with its type (a number
 * stays a number) and, when the value is absent, its key is left out; placeholders inside longer
 * strings are put in as text. Values are never parsed as JSON, so they cannot add fields.
 */
export function renderBody(template: unknown, values: TemplateValues): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(template);
    if (whole) return lookup(values, whole[1]!, whole[2]!);
    return renderText(template, values);
  }
  if (Array.isArray(template)) {
    return template.map((item) => renderBody(item, values) ?? null);
  }
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = renderBody(value, values);
      if (rendered !== undefined) setOwn(out, key, rendered);
    }
    return out;
  }
  return template;
}

/** Plain text, e.g. the offline model's reply: lists joined with commas, absent values empty. */
export function renderText(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, scope: string, name: string) =>
    display(lookup(values, scope, name)),
  );
}

/** `items[].name` → ['items', '[]', 'name']. */
export function pathSegments(path: string): string[] {
  return path.split('.').flatMap((part) => {
    if (part === '[]') return ['[]'];
    return part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part];
  });
}

/** The value at a path; through `[]` it is the list of each item's value. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown[] | unknown = value;
  let spread = false;
  for (const segment of pathSegments(path)) {
    const step = (v: unknown): unknown => {
      if (segment === '[]') return Array.isArray(v) ? v : undefined;
      return isPlainObject(v) && Object.hasOwn(v, segment) ? v[segment] : undefined;
    };
    if (spread) {
      current = (current as unknown[]).flatMap((v) => {
        const next = step(v);
        return segment === '[]' ? ((next as unknown[]) ?? []) : next === undefined ? [] : [next];
      });
    } else {
      current = step(current);
      if (current === undefined) return undefined;
      if (segment === '[]') spread = true;
    }
  }
  return current;
}

/**
 * Only the listed paths of `data`, in their original nesting: `order.status` keeps
 * `{ order: { status } }` and nothing else of the order. Anything not listed is dropped, so
 * what the bot sees is what the admin chose.
 */
export function pickPaths(data: unknown, paths: string[]): unknown {
  let picked: unknown;
  for (const path of paths) {
    const part = pickPath(data, pathSegments(path));
    if (part !== undefined) picked = picked === undefined ? part : merge(picked, part);
  }
  return picked ?? {};
}

function pickPath(value: unknown, segments: string[]): unknown {
  if (segments.length === 0) return value;
  const [segment, ...rest] = segments as [string, ...string[]];
  if (segment === '[]') {
    return Array.isArray(value) ? value.map((item) => pickPath(item, rest) ?? null) : undefined;
  }
  if (!isPlainObject(value) || !Object.hasOwn(value, segment)) return undefined;
  const inner = pickPath(value[segment], rest);
  if (inner === undefined) return undefined;
  const out: Record<string, unknown> = {};
  setOwn(out, segment, inner);
  return out;
}

function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.map((item, i) => (b[i] === null ? item : item === null ? b[i] : merge(item, b[i])));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      setOwn(out, key, Object.hasOwn(out, key) ? merge(out[key], value) : value);
    }
    return out;
  }
  return b;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Assigns without invoking a `__proto__` setter, whatever the key a response used. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
