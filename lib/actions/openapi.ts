import type { Database } from '@/db/client';
import { TandemError } from '@/lib/errors';
import {
  type ActionDefinitionInput,
  type ActionHeader,
  CUSTOMER_ATTRIBUTES,
  type CustomerAttribute,
  HTTP_METHODS,
  INPUT_NAME,
} from './definition';
import { createAction, type StoredAction } from './queries';

/*
 * Actions from an OpenAPI 3 document (JSON): each operation becomes a draft definition the admin
 * picks, reviews and enables. Path and query parameters and the top-level fields of a JSON body
 * become typed inputs; GET reads, every other method writes; an API-key or bearer scheme becomes
 * a secret header waiting for its value; the 2xx JSON response's fields are the suggested
 * allowlist. Three optional vendor extensions let a service describe itself for Tandem:
 * `x-tandem-examples` (request phrasings) and `x-tandem-reply` on an operation, and
 * `x-tandem-customer` (site_user_id, email, name or id) on a parameter or body property that must
 * come from the verified customer.
 */

type Json = Record<string, unknown>;

export interface ImportableOperation {
  /** `GET /orders/{id}`: what the admin picks by. */
  key: string;
  method: (typeof HTTP_METHODS)[number];
  path: string;
  summary: string;
  definition: ActionDefinitionInput;
  /** What could not be carried over (a header parameter, a nested body field…). */
  warnings: string[];
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document's operations as draft actions; `documentUrl` resolves a relative server URL. */
export function listOperations(
  doc: unknown,
  options: { documentUrl?: string; baseUrl?: string } = {},
): ImportableOperation[] {
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new TandemError(
      'bad_request:action',
      'This is not an OpenAPI 3 document (it has no "openapi": "3.x" field).',
    );
  }
  const base = baseUrlOf(doc, options);
  const paths = isObject(doc.paths) ? doc.paths : {};
  const operations: ImportableOperation[] = [];
  const names = new Set<string>();
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(doc, rawItem);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = resolve(doc, item[method.toLowerCase()]);
      if (!isObject(op)) continue;
      const operation = toOperation(doc, base, path, method, item, op);
      // Two operations must not become two actions of one name.
      let name = operation.definition.name;
      for (let n = 2; names.has(name); n++) name = `${operation.definition.name.slice(0, 44)}_${n}`;
      names.add(name);
      operations.push({ ...operation, definition: { ...operation.definition, name } });
    }
  }
  return operations;
}

function baseUrlOf(doc: Json, options: { documentUrl?: string; baseUrl?: string }): string {
  if (options.baseUrl) return options.baseUrl.replace(/\/+$/, '');
  const server = Array.isArray(doc.servers) && isObject(doc.servers[0]) ? doc.servers[0] : null;
  let url = typeof server?.url === 'string' ? server.url : '';
  if (server && isObject(server.variables)) {
    for (const [name, variable] of Object.entries(server.variables)) {
      if (isObject(variable) && typeof variable.default === 'string') {
        url = url.replaceAll(`{${name}}`, variable.default);
      }
    }
  }
  try {
    return new URL(url, options.documentUrl).href.replace(/\/+$/, '');
  } catch {
    throw new TandemError(
      'bad_request:action',
      'The document names no absolute server URL; give the base URL to call.',
      { fields: [{ field: 'baseUrl', message: 'is required for this document' }] },
    );
  }
}

/** Follows local `$ref`s (`#/components/…`), a bounded number of times. */
function resolve(doc: Json, value: unknown, depth = 0): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || depth > 20) return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/')) return undefined;
  let target: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    target = isObject(target) ? target[key] : undefined;
  }
  return resolve(doc, target, depth + 1);
}

function toOperation(
  doc: Json,
  base: string,
  path: string,
  method: (typeof HTTP_METHODS)[number],
  item: Json,
  op: Json,
): Omit<ImportableOperation, 'warnings'> & { warnings: string[] } {
  const warnings: string[] = [];
  const inputs: NonNullable<ActionDefinitionInput['inputs']> = [];
  const usedNames = new Set<string>();
  const inputName = (raw: string) => {
    let name = raw
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!/^[a-z]/.test(name)) name = `p_${name}`;
    name = name.slice(0, 40);
    for (let n = 2; usedNames.has(name) || !INPUT_NAME.test(name); n++) {
      name = `${name.slice(0, 36)}_${n}`;
    }
    usedNames.add(name);
    return name;
  };

  const parameters = [
    ...(Array.isArray(item.parameters) ? item.parameters : []),
    ...(Array.isArray(op.parameters) ? op.parameters : []),
  ]
    .map((p) => resolve(doc, p))
    .filter(isObject);
  // An operation's parameter replaces the path item's one of the same name and place.
  const byPlace = new Map<string, Json>();
  for (const p of parameters) byPlace.set(`${p.in}:${p.name}`, p);

  let url = `${base}${path}`;
  const query: string[] = [];
  for (const p of byPlace.values()) {
    const name = String(p.name ?? '');
    if (p.in !== 'path' && p.in !== 'query') {
      warnings.push(`The ${p.in} parameter ${name} is not sent; add it as a header if needed.`);
      continue;
    }
    const input = toInput(inputName(name), resolve(doc, p.schema), p, p.in === 'path');
    if (!input) {
      warnings.push(`The parameter ${name} is not a string, number, boolean or enum.`);
      continue;
    }
    inputs.push(input);
    if (p.in === 'path') url = url.replace(`{${name}}`, `{input.${input.name}}`);
    else query.push(`${encodeURIComponent(name)}={input.${input.name}}`);
  }
  if (query.length > 0) url += `${url.includes('?') ? '&' : '?'}${query.join('&')}`;
  const undeclared = url.replace(/\{input\.[^{}]+\}/g, '').match(/\{[^{}]+\}/g);
  if (undeclared) {
    warnings.push(`The path names ${undeclared.join(', ')} without declaring it as a parameter.`);
  }

  let body: Record<string, string> | null = null;
  const requestBody = resolve(doc, op.requestBody);
  if (isObject(requestBody) && method !== 'GET') {
    const content = isObject(requestBody.content) ? requestBody.content : {};
    const json = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
    const schema = isObject(json) ? resolve(doc, json.schema) : undefined;
    if (isObject(schema) && isObject(schema.properties)) {
      body = {};
      const required = new Set(Array.isArray(schema.required) ? schema.required : []);
      for (const [prop, rawProp] of Object.entries(schema.properties)) {
        const propSchema = resolve(doc, rawProp);
        const input = toInput(
          inputName(prop),
          propSchema,
          isObject(propSchema) ? propSchema : {},
          required.has(prop),
        );
        if (!input) {
          warnings.push(`The body field ${prop} is not a string, number, boolean or enum.`);
          continue;
        }
        inputs.push(input);
        body[prop] = `{input.${input.name}}`;
      }
    } else if (json !== undefined) {
      warnings.push('The JSON body is not an object with properties; write its template by hand.');
    }
  }

  const headers: ActionHeader[] = securityHeaders(doc, op);
  const id = typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`;
  const summary = typeof op.summary === 'string' ? op.summary.trim() : '';
  const description = typeof op.description === 'string' ? op.description.trim() : '';
  const examples = Array.isArray(op['x-tandem-examples'])
    ? op['x-tandem-examples'].filter((e): e is string => typeof e === 'string').slice(0, 30)
    : [];
  const usesIdentity = inputs.some((i) => i.fromCustomer);
  const definition: ActionDefinitionInput = {
    kind: 'http',
    name: actionName(id),
    label: (summary || humanize(id)).slice(0, 120),
    description: (description || summary || `${method} ${path}`).slice(0, 2000),
    effect: method === 'GET' ? 'read' : 'write',
    inputs,
    verifiedOnly: true,
    enabled: false,
    examples,
    replyTemplate: typeof op['x-tandem-reply'] === 'string' ? op['x-tandem-reply'] : '',
    http: {
      method,
      url,
      headers,
      body,
      responseFields: responseFieldsOf(doc, op),
    },
  };
  if (!usesIdentity) {
    warnings.push(
      'No input comes from the verified customer: check that the service only returns what this customer may see.',
    );
  }
  return { key: `${method} ${path}`, method, path, summary: summary || id, definition, warnings };
}

function toInput(
  name: string,
  schema: unknown,
  source: Json,
  required: boolean,
): NonNullable<ActionDefinitionInput['inputs']>[number] | null {
  const s = isObject(schema) ? schema : {};
  const description = String(source.description ?? s.description ?? '').slice(0, 500);
  const binding = source['x-tandem-customer'] ?? s['x-tandem-customer'];
  const fromCustomer = (CUSTOMER_ATTRIBUTES as readonly string[]).includes(String(binding))
    ? (binding as CustomerAttribute)
    : undefined;
  const base = { name, description, required, ...(fromCustomer ? { fromCustomer } : {}) };
  const enumValues = Array.isArray(s.enum) ? s.enum.filter((v) => typeof v === 'string') : [];
  if (enumValues.length > 0) {
    return { ...base, type: 'enum', choices: enumValues.slice(0, 50) as string[] };
  }
  switch (s.type) {
    case 'string': {
      const pattern = typeof s.pattern === 'string' ? stripAnchors(s.pattern) : undefined;
      return { ...base, type: 'string', ...(pattern ? { pattern } : {}) };
    }
    case 'integer':
    case 'number':
      return { ...base, type: 'number' };
    case 'boolean':
      return { ...base, type: 'boolean' };
    default:
      // A parameter that declares no schema at all is sent as text.
      return schema === undefined ? { ...base, type: 'string' } : null;
  }
}

/** Patterns are whole-value tests in Tandem already; `^…$` would only be doubled. */
function stripAnchors(pattern: string): string {
  return pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
}

function securityHeaders(doc: Json, op: Json): ActionHeader[] {
  const requirements = Array.isArray(op.security)
    ? op.security
    : Array.isArray(doc.security)
      ? doc.security
      : [];
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const headers: ActionHeader[] = [];
  // The first alternative is enough: any one requirement object satisfies the API.
  const first = requirements.find(isObject);
  for (const name of Object.keys(first ?? {})) {
    const scheme = resolve(doc, schemes[name]);
    if (!isObject(scheme)) continue;
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') {
      headers.push({ name: scheme.name, secret: true });
    } else if (scheme.type === 'http' && /^(bearer|basic)$/i.test(String(scheme.scheme))) {
      headers.push({ name: 'Authorization', secret: true });
    }
  }
  return headers;
}

/** Leaf paths of the first 2xx JSON response, a few levels deep: the suggested allowlist. */
function responseFieldsOf(doc: Json, op: Json): string[] {
  const responses = isObject(op.responses) ? op.responses : {};
  const success = Object.entries(responses).find(([code]) => /^2\d\d$|^2XX$/i.test(code))?.[1];
  const response = resolve(doc, success);
  const content = isObject(response) && isObject(response.content) ? response.content : {};
  const json = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
  const schema = isObject(json) ? resolve(doc, json.schema) : undefined;
  const fields: string[] = [];
  const walk = (value: unknown, prefix: string, depth: number) => {
    const s = resolve(doc, value);
    if (!isObject(s) || fields.length >= 50) return;
    if (s.type === 'array' || isObject(s.items)) {
      if (depth < 4 && !prefix.endsWith('[]')) walk(s.items, `${prefix}[]`, depth + 1);
      return;
    }
    if (isObject(s.properties)) {
      if (depth >= 4) return;
      for (const [key, child] of Object.entries(s.properties)) {
        if (/^[A-Za-z0-9_$-]+$/.test(key))
          walk(child, prefix ? `${prefix}.${key}` : key, depth + 1);
      }
      return;
    }
    if (prefix) fields.push(prefix);
  };
  walk(schema, '', 0);
  return fields;
}

function actionName(id: string): string {
  let name = id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) name = `op_${name}`;
  name = name.slice(0, 48).replace(/_+$/, '');
  return name.length >= 2 ? name : `${name}_op`;
}

function humanize(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-/{}]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Creates the chosen operations as actions, turned off until the admin has tested them. */
export async function importOperations(
  db: Database,
  appSecret: string,
  operations: ImportableOperation[],
  keys: string[],
): Promise<StoredAction[]> {
  const chosen = keys.map((key) => {
    const operation = operations.find((o) => o.key === key);
    if (!operation) {
      throw new TandemError('bad_request:action', `The document has no operation ${key}.`, {
        fields: [{ field: 'operations', message: `${key} is not in the document` }],
      });
    }
    return operation;
  });
  return db.transaction(async (tx) => {
    const created: StoredAction[] = [];
    for (const operation of chosen) {
      created.push(await createAction(tx, appSecret, operation.definition));
    }
    return created;
  });
}
