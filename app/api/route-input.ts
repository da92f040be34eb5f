import type { z } from 'zod';
import { type Config, getConfig } from '@/lib/config';
import { invalidInput, TandemError } from '@/lib/errors';
import { refuseUnsafeText, unsafeTextReason } from '@/lib/text/unsafe-text';
import { parseJsonBody, readBodyText } from './read-json-body';
import {
  type BodyKind,
  isSafeMethod,
  mediaTypeOf,
  requireMediaType,
  unsupportedMediaType,
} from './request-guard';
import type { RouteCaller, RouteContract } from './route-contract';

/** A schema, or one built from the config when a limit is configurable. */
export type SchemaOption = z.ZodType | ((config: Config) => z.ZodType);

/** What every route wrapper takes besides its caller's rules (see /work/notes/wrappers.md). */
export interface RouteOptions {
  /** The `surface` of error codes: `bad_request:<surface>`, `unsupported_media_type:<surface>`. */
  surface?: string;
  /** How the body is sent; 'json' when `body` is given, 'none' otherwise. */
  accepts?: RouteContract['accepts'];
  body?: SchemaOption;
  /** An empty body without a Content-Type stands for `{}`. */
  bodyOptional?: boolean;
  /** Validated against the query string's parameters (the last of repeated names). */
  query?: z.ZodType;
  /** The JSON body's limit in bytes. */
  maxBytes?: number | ((config: Config) => number);
  /** The path parameters the handler reads. */
  params?: readonly string[];
}

type Built<S> = S extends (config: Config) => infer T ? T : S;

export type BodyOf<O> = O extends { body: infer S }
  ? O extends { accepts: 'multipart' }
    ? z.output<Built<S> & z.ZodType> | undefined
    : z.output<Built<S> & z.ZodType>
  : undefined;
export type QueryOf<O> = O extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
export type ParamsOf<O> = O extends { params: readonly (infer N extends string)[] }
  ? Record<N, string>
  : Record<string, never>;

export function acceptsOf(options: RouteOptions): RouteContract['accepts'] {
  return options.accepts ?? (options.body ? 'json' : 'none');
}

const build = <T>(option: T | ((config: Config) => T), config: Config): T =>
  typeof option === 'function' ? (option as (config: Config) => T)(config) : option;

/**
 * The contract the fuzz suite reads. A schema built from the config is built on reading, from the
 * process's config, so importing a route never reads the environment.
 */
export function contractOf(caller: RouteCaller, options: RouteOptions): RouteContract {
  const contract: RouteContract = { caller, accepts: acceptsOf(options) };
  const { body, query } = options;
  if (typeof body === 'function') {
    Object.defineProperty(contract, 'body', { enumerable: true, get: () => body(getConfig()) });
  } else if (body) {
    contract.body = body;
  }
  if (query) contract.query = query;
  return contract;
}

/**
 * The request's body and query, read and validated as the route declares. `cookie` routes (staff,
 * widget) take only the media types they accept on state-changing methods; API-key callers keep
 * the leniency they have always had (a JSON body whatever its Content-Type).
 */
export async function readRouteInput(
  request: Request,
  options: RouteOptions,
  {
    config,
    surface,
    cookie,
    maxBytes,
  }: {
    config: Config;
    surface: string;
    cookie: boolean;
    maxBytes: number;
  },
): Promise<{ body: unknown; query: unknown }> {
  const query = readQuery(request, options.query, surface);
  if (isSafeMethod(request.method)) return { body: undefined, query };
  const accepts = acceptsOf(options);
  const limit = options.maxBytes === undefined ? maxBytes : build(options.maxBytes, config);
  const kind = cookie
    ? requireMediaType(request, { accepts, surface })
    : lenientKind(request, accepts, surface);
  if (kind === 'multipart') return { body: undefined, query };
  if (accepts === 'none' || !options.body) {
    // Nothing is read from it, but a body sent without a type must not slip past the check.
    if (cookie && kind === 'none' && (await readBodyText(request, { surface, maxBytes: limit })))
      throw unsupportedMediaType(surface, accepts, null);
    return { body: undefined, query };
  }
  const schema = build(options.body, config);
  const raw = await readBodyText(request, { surface, maxBytes: limit });
  if (raw === '' && options.bodyOptional && (kind === 'none' || cookie)) {
    return { body: parseJsonBody('{}', schema, surface), query };
  }
  if (cookie && kind === 'none') throw unsupportedMediaType(surface, accepts, null);
  return { body: parseJsonBody(raw, schema, surface), query };
}

function lenientKind(
  request: Request,
  accepts: RouteContract['accepts'],
  surface: string,
): BodyKind {
  const type = mediaTypeOf(request);
  if (accepts === 'multipart') {
    if (type === 'multipart/form-data') return 'multipart';
    if (type === 'application/json') return 'json';
    throw unsupportedMediaType(surface, accepts, type);
  }
  return type === null ? 'none' : 'json';
}

/** The query string as an object, refused when any name or value cannot be stored as text. */
function readQuery(request: Request, schema: z.ZodType | undefined, surface: string): unknown {
  const entries = Object.fromEntries(new URL(request.url).searchParams);
  refuseUnsafeText(entries, surface);
  if (!schema) return undefined;
  const parsed = schema.safeParse(entries);
  if (!parsed.success) throw invalidInput(surface, parsed.error);
  return parsed.data;
}

/**
 * Path parameters as the handler sees them: a value that cannot be stored as text names nothing
 * (404). `decode` undoes a second round of percent-encoding, as API callers' ids may carry.
 */
export function checkedParams(
  params: Record<string, string | string[]>,
  { decode = false }: { decode?: boolean } = {},
): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, raw] of Object.entries(params)) {
    const value = Array.isArray(raw) ? raw.join('/') : raw;
    const decoded = decode ? decodeOnce(value) : value;
    if (unsafeTextReason(decoded) !== null) {
      throw new TandemError('not_found:resource', 'Nothing here has that id.');
    }
    checked[name] = decoded;
  }
  return checked;
}

function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
