import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';

/**
 * A stand-in Qdrant that holds every request to the published OpenAPI contract of Qdrant 1.19.0
 * (shared/contracts, Apache-2.0) and answers like a tiny Qdrant: collections, points, exact cosine
 * search, payload filters. No Qdrant server can run in CI, so this is how the adapter's requests
 * are proven to be ones a real server accepts, and its handling of the answers end to end.
 */
export interface QdrantContractServer {
  url: string;
  /** operationId of every request, in arrival order. */
  operations: string[];
  /** Each request or response that broke the contract; a passing test leaves this empty. */
  violations: string[];
  close(): Promise<void>;
}

const SPEC_PATH = fileURLToPath(
  new URL('../../../shared/contracts/qdrant-openapi-1.19.0.json', import.meta.url),
);
const SPEC_ID = 'https://contracts.tandem.test/qdrant-openapi-1.19.0.json';
const SCHEMA_REF = '#/components/schemas/';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: SchemaObject;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  pathParams: string[];
  operation: Operation;
}

interface OperationValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  body?: ValidateFunction;
  response: ValidateFunction;
  error: ValidateFunction;
}

interface StoredPoint {
  vector: number[];
  payload: JsonObject;
  version: number;
}

interface Collection {
  size: number;
  distance: string;
  points: Map<string, StoredPoint>;
  payloadSchema: Record<string, { data_type: string; points: number }>;
}

/** A reply that goes back as a Qdrant error, e.g. the 404 for a missing collection. */
class QdrantFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * OpenAPI 3.0 schemas are JSON Schema (draft 4/5 era) plus `nullable`, which JSON Schema does
 * not have; Qdrant's spec uses none of the draft-4 keywords whose meaning later changed
 * (boolean exclusiveMinimum), so after turning `nullable` into a `null` type the schemas are
 * valid draft-07, Ajv's default. References are rewritten to point into one registered document.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  if (typeof source.$ref === 'string') {
    // OpenAPI 3.0 ignores keywords beside $ref, and so does this conversion.
    return { $ref: `${SPEC_ID}#/definitions/${source.$ref.slice(SCHEMA_REF.length)}` };
  }
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable') continue;
    if (key === 'properties' || key === 'definitions') {
      schema[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [
          name,
          toJsonSchema(sub),
        ]),
      );
    } else if (['items', 'additionalProperties', 'not', 'anyOf', 'oneOf', 'allOf'].includes(key)) {
      schema[key] = typeof value === 'boolean' ? value : toJsonSchema(value);
    } else {
      schema[key] = value;
    }
  }
  if (source.nullable !== true) return schema;
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
    return schema;
  }
  const rest = Object.keys(schema).filter((key) => !['description', 'default'].includes(key));
  // `{ "nullable": true }` alone is how the spec spells "or null" inside anyOf.
  return rest.length === 0 ? { ...schema, type: 'null' } : { anyOf: [schema, { type: 'null' }] };
}

const isInteger = (min: number, max: number) => (value: number) =>
  Number.isInteger(value) && value >= min && value <= max;

/** The spec's formats: Rust integer widths and float precisions, plus the string ones it uses. */
function addFormats(ajv: Ajv): void {
  ajv.addFormat('uint', { type: 'number', validate: isInteger(0, Number.MAX_SAFE_INTEGER) });
  ajv.addFormat('uint64', { type: 'number', validate: isInteger(0, Number.MAX_SAFE_INTEGER) });
  ajv.addFormat('uint32', { type: 'number', validate: isInteger(0, 2 ** 32 - 1) });
  ajv.addFormat('uint8', { type: 'number', validate: isInteger(0, 255) });
  ajv.addFormat('int64', {
    type: 'number',
    validate: isInteger(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  });
  ajv.addFormat('float', { type: 'number', validate: Number.isFinite });
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  ajv.addFormat('partial-date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('binary', () => true);
}

function createAjv(definitions: Record<string, unknown>, coerceTypes: boolean): Ajv {
  // strictSchema stays on so a keyword this conversion missed fails loudly instead of passing.
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajv.addVocabulary(['example']);
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, definitions } as SchemaObject);
  return ajv;
}

function loadRoutes(spec: { paths: Record<string, Record<string, Operation>> }): Route[] {
  const routes: Route[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    const pathParams: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
        pathParams.push(name);
        return '([^/]+)';
      })}$`,
    );
    for (const [method, operation] of Object.entries(methods)) {
      if (operation?.operationId) {
        routes.push({ method: method.toUpperCase(), template, pattern, pathParams, operation });
      }
    }
  }
  // A literal segment beats a parameter: POST /points/delete is not GET /points/{id}.
  return routes.sort((a, b) => a.pathParams.length - b.pathParams.length);
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (error) =>
      `${where}${error.instancePath || ''} ${error.message ?? 'is invalid'}${
        error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''
      }`,
  );
}

export async function startQdrantContractServer(
  options: { apiKey?: string } = {},
): Promise<QdrantContractServer> {
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
  const definitions = Object.fromEntries(
    Object.entries(spec.components.schemas as Record<string, unknown>).map(([name, schema]) => [
      name,
      toJsonSchema(schema),
    ]),
  );
  const strict = createAjv(definitions, false);
  const coercing = createAjv(definitions, true);
  const routes = loadRoutes(spec);
  const validatorCache = new Map<string, OperationValidators>();
  const collections = new Map<string, Collection>();
  const operations: string[] = [];
  const violations: string[] = [];
  let version = 0;

  const validatorsFor = (operation: Operation): OperationValidators => {
    const cached = validatorCache.get(operation.operationId);
    if (cached) return cached;
    const paramsSchema = (location: 'path' | 'query') => {
      const params = (operation.parameters ?? []).filter((p) => p.in === location);
      return {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema)])),
        required: params.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
    };
    const jsonSchema = (content?: Record<string, { schema: SchemaObject }>) =>
      content?.['application/json']?.schema;
    const bodySchema = jsonSchema(operation.requestBody?.content);
    const okSchema = jsonSchema(operation.responses['200']?.content) ?? {};
    const errorSchema =
      jsonSchema(operation.responses['4XX']?.content) ??
      jsonSchema(operation.responses.default?.content) ??
      {};
    const validators: OperationValidators = {
      // Path and query values arrive as strings; the schema's types say how to read them.
      path: coercing.compile(paramsSchema('path')),
      query: coercing.compile(paramsSchema('query')),
      body: bodySchema ? strict.compile(toJsonSchema(bodySchema) as SchemaObject) : undefined,
      response: strict.compile(toJsonSchema(okSchema) as SchemaObject),
      error: strict.compile(toJsonSchema(errorSchema) as SchemaObject),
    };
    validatorCache.set(operation.operationId, validators);
    return validators;
  };

  const collectionNamed = (name: string): Collection => {
    const collection = collections.get(name);
    if (!collection)
      throw new QdrantFailure(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return collection;
  };

  const handlers: Record<
    string,
    (path: Record<string, string>, query: Record<string, unknown>, body: JsonObject) => Json
  > = {
    root: () => ({ title: 'qdrant - vector search engine', version: '1.19.0', commit: null }),
    collection_exists: ({ collection_name }) => ({ exists: collections.has(collection_name!) }),
    create_collection: ({ collection_name }, _query, body) => {
      if (collections.has(collection_name!)) {
        throw new QdrantFailure(
          409,
          `Wrong input: Collection \`${collection_name}\` already exists!`,
        );
      }
      const vectors = body.vectors as JsonObject | undefined;
      if (typeof vectors?.size !== 'number') {
        throw notImplemented('create_collection without a single unnamed vector config');
      }
      collections.set(collection_name!, {
        size: vectors.size,
        distance: String(vectors.distance),
        points: new Map(),
        payloadSchema: {},
      });
      return true;
    },
    delete_collection: ({ collection_name }) => collections.delete(collection_name!),
    get_collection: ({ collection_name }) => {
      const collection = collectionNamed(collection_name!);
      return {
        status: 'green',
        optimizer_status: 'ok',
        segments_count: 1,
        points_count: collection.points.size,
        indexed_vectors_count: 0,
        payload_schema: collection.payloadSchema,
        config: {
          params: {
            vectors: { size: collection.size, distance: collection.distance },
            shard_number: 1,
            replication_factor: 1,
            write_consistency_factor: 1,
            on_disk_payload: true,
          },
          hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
          optimizer_config: { default_segment_number: 0, flush_interval_sec: 5 },
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        },
      };
    },
    create_field_index: ({ collection_name }, _query, body) => {
      const collection = collectionNamed(collection_name!);
      const fieldName = String(body.field_name);
      if (typeof body.field_schema !== 'string') {
        throw notImplemented('create_field_index with field_schema parameters');
      }
      collection.payloadSchema[fieldName] = { data_type: body.field_schema, points: 0 };
      return { operation_id: ++version, status: 'completed' };
    },
    upsert_points: ({ collection_name }, _query, body) => {
      const collection = collectionNamed(collection_name!);
      if (!Array.isArray(body.points)) throw notImplemented('upsert_points with a batch');
      for (const point of body.points as JsonObject[]) {
        if (!Array.isArray(point.vector)) throw notImplemented('upsert_points with named vectors');
        if (point.vector.length !== collection.size) {
          throw new QdrantFailure(
            400,
            `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${point.vector.length}`,
          );
        }
        collection.points.set(canonicalId(point.id!), {
          vector: point.vector as number[],
          payload: (point.payload as JsonObject | null) ?? {},
          version: ++version,
        });
      }
      return { operation_id: version, status: 'completed' };
    },
    delete_points: ({ collection_name }, _query, body) => {
      const collection = collectionNamed(collection_name!);
      if (Array.isArray(body.points)) {
        for (const id of body.points) collection.points.delete(canonicalId(id));
      } else {
        for (const [id, point] of collection.points) {
          if (matchesFilter(id, point, body.filter)) collection.points.delete(id);
        }
      }
      return { operation_id: ++version, status: 'completed' };
    },
    count_points: ({ collection_name }, _query, body) => {
      const collection = collectionNamed(collection_name!);
      const matching = [...collection.points].filter(([id, point]) =>
        matchesFilter(id, point, body.filter),
      );
      return { count: matching.length };
    },
    query_points: ({ collection_name }, _query, body) => {
      const collection = collectionNamed(collection_name!);
      if (body.prefetch || body.using || body.lookup_from || body.params) {
        throw notImplemented('query_points beyond a plain nearest-vector query');
      }
      if (!Array.isArray(body.query)) throw notImplemented('query_points without a dense vector');
      const query = body.query as number[];
      if (query.length !== collection.size) {
        throw new QdrantFailure(
          400,
          `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${query.length}`,
        );
      }
      const limit = typeof body.limit === 'number' ? body.limit : 10;
      const offset = typeof body.offset === 'number' ? body.offset : 0;
      const threshold = typeof body.score_threshold === 'number' ? body.score_threshold : -Infinity;
      const scored = [...collection.points]
        .filter(([id, point]) => matchesFilter(id, point, body.filter))
        .map(([id, point]) => ({ id, point, score: cosine(query, point.vector) }))
        .filter(({ score }) => score >= threshold)
        .sort((a, b) => b.score - a.score)
        .slice(offset, offset + limit);
      return {
        points: scored.map(({ id, point, score }) => ({
          id,
          version: point.version,
          score,
          ...(body.with_payload === true ? { payload: point.payload } : {}),
          ...(body.with_vector === true ? { vector: point.vector } : {}),
        })),
      };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`harness failure: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://qdrant.test');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) {
      violations.push(`${method} ${url.pathname} is not an operation in the Qdrant 1.19.0 API`);
      return send(res, 404, errorBody(`Unknown operation ${method} ${url.pathname}`, started));
    }
    const { operation } = route;
    operations.push(operation.operationId);
    const validators = validatorsFor(operation);
    const where = `${operation.operationId} (${method} ${route.template})`;
    const problems: string[] = [];

    if (options.apiKey !== undefined && req.headers['api-key'] !== options.apiKey) {
      return send(
        res,
        401,
        errorBody('Must provide an API key or an Authorization bearer token', started),
      );
    }

    const values = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const path = Object.fromEntries(route.pathParams.map((name, i) => [name, values[i]!]));
    if (!validators.path({ ...path })) {
      problems.push(...formatErrors(`${where} path`, validators.path.errors));
    }

    const query: Record<string, unknown> = {};
    for (const [key, value] of url.searchParams) {
      if (key in query) problems.push(`${where} query parameter ${key} is repeated`);
      query[key] = value;
    }
    if (!validators.query(query)) {
      problems.push(...formatErrors(`${where} query`, validators.query.errors));
    }

    let body: JsonObject = {};
    if (raw.length > 0) {
      if (!validators.body) {
        problems.push(`${where} takes no request body but got ${raw.length} bytes`);
      } else if (!req.headers['content-type']?.includes('application/json')) {
        problems.push(
          `${where} body sent as ${req.headers['content-type'] ?? 'no content type'}, not application/json`,
        );
      } else {
        try {
          body = JSON.parse(raw.toString('utf8'));
          if (!validators.body(body)) {
            problems.push(...formatErrors(`${where} body`, validators.body.errors));
          }
        } catch {
          problems.push(`${where} body is not valid JSON`);
        }
      }
    } else if (operation.requestBody?.required) {
      problems.push(`${where} requires a body`);
    }

    if (problems.length > 0) {
      violations.push(...problems);
      return send(res, 400, errorBody(`Contract violation: ${problems.join('; ')}`, started));
    }

    const handler = handlers[operation.operationId];
    if (!handler) {
      violations.push(`${where} is valid but the contract server does not implement it`);
      return send(
        res,
        501,
        errorBody(
          `${operation.operationId} is outside what this contract server simulates`,
          started,
        ),
      );
    }
    let status = 200;
    let reply: JsonObject;
    try {
      const result = handler(path, query, body);
      reply =
        operation.operationId === 'root'
          ? (result as JsonObject)
          : { result, status: 'ok', time: (performance.now() - started) / 1000 };
    } catch (error) {
      if (!(error instanceof QdrantFailure)) throw error;
      status = error.status;
      reply = errorBody(error.message, started);
    }
    const check = status === 200 ? validators.response : validators.error;
    if (!check(reply)) {
      violations.push(...formatErrors(`${where} response (harness bug)`, check.errors));
    }
    send(res, status, reply);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    operations,
    violations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function notImplemented(what: string): Error {
  return new Error(`The contract server does not implement ${what}`);
}

function errorBody(message: string, started: number): JsonObject {
  return { status: { error: message }, time: (performance.now() - started) / 1000, result: null };
}

function send(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Qdrant stores UUIDs in their hyphenated lowercase form whatever form they were sent in. */
function canonicalId(id: Json): string {
  if (typeof id === 'number') return String(id);
  const hex = String(id).replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

const asList = (value: Json | undefined): Json[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** Qdrant's filter semantics for the conditions a support desk needs: match, has_id, nesting. */
function matchesFilter(id: string, point: StoredPoint, filter: Json | undefined): boolean {
  if (filter === undefined || filter === null) return true;
  const { must, should, must_not: mustNot, min_should: minShould } = filter as JsonObject;
  if (minShould) throw notImplemented('min_should filters');
  const test = (condition: Json) => matchesCondition(id, point, condition);
  const shouldList = asList(should);
  return (
    asList(must).every(test) &&
    !asList(mustNot).some(test) &&
    (shouldList.length === 0 || shouldList.some(test))
  );
}

function matchesCondition(id: string, point: StoredPoint, condition: Json): boolean {
  const c = condition as JsonObject;
  if ('has_id' in c) return asList(c.has_id).some((candidate) => canonicalId(candidate) === id);
  if ('must' in c || 'should' in c || 'must_not' in c) return matchesFilter(id, point, c);
  if (typeof c.key === 'string' && c.match && typeof c.match === 'object') {
    const match = c.match as JsonObject;
    const stored = asList(point.payload[c.key]);
    if ('value' in match) return stored.some((value) => value === match.value);
    if ('any' in match) return stored.some((value) => asList(match.any).includes(value));
  }
  throw notImplemented(`the filter condition ${JSON.stringify(condition)}`);
}
