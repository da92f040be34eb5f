import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { observedRoute } from '@/app/api/observed-route';
import { withContract } from '@/app/api/route-contract';
import { invalidInput, TandemError, toErrorResponse } from '@/lib/errors';
import type { DiscoveredRoute, RouteHandler } from './support/discover-routes';
import type { FuzzDesk } from './support/fuzz-desk';
import { formatFailures, fuzzBodies, fuzzPaths, MIN_BODIES, MIN_PATHS } from './support/fuzz-route';
import { toJsonSchema } from './support/json-schema';
import { malformedBodies, STRADDLERS } from './support/malformed-bodies';
import { malformedPaths } from './support/malformed-paths';
import { matchParams } from './support/send-request';

const note = z.object({
  title: z.string().min(1).max(120),
  tags: z
    .array(z.object({ label: z.string().max(40) }))
    .max(5)
    .optional(),
  priority: z.enum(['low', 'high']).optional(),
  count: z.number().int().min(0).max(10).optional(),
});

/** A desk with nothing behind it: enough for routes that need no app. */
const bareDesk = {
  ids: () => undefined,
  beforeRoute: async () => {},
  paramsFor: async () => ({ id: '2b8f0a8e-3a52-4d5e-9a55-64f4c1e6b7d1' }),
  credentialsFor: async () => ({}),
} as unknown as FuzzDesk;

const NUL_OR_LONE_SURROGATE =
  /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/** A route that validates its body as every route should and answers JSON errors. */
const carefulHandler = observedRoute(async (request: Request): Promise<Response> => {
  try {
    const text = await request.text();
    if (text.length > 64 * 1024) throw new TandemError('payload_too_large:note', 'Too large.');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TandemError('bad_request:note', 'Not JSON.');
    }
    if (NUL_OR_LONE_SURROGATE.test(text)) throw new TandemError('bad_request:note', 'Bad text.');
    const parsed = note.safeParse(json);
    if (!parsed.success) throw invalidInput('note', parsed.error);
    return Response.json({ ok: true }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
});

const route = (
  handler: (request: Request) => Promise<Response>,
  template = '/api/fuzz-self-test/[id]',
) => {
  const contracted = withContract(handler, {
    caller: { kind: 'staff', role: 'admin' },
    accepts: 'json',
    body: note,
  }) as unknown as RouteHandler;
  return {
    file: 'app/api/fuzz-self-test/[id]/route.ts',
    template,
    params: ['id'],
    method: 'PATCH',
    handler: contracted,
    contract: contracted.contract,
  } satisfies DiscoveredRoute;
};

/** A body as data: FormData objects never compare equal on every Node, their entries do. */
function comparable(body: unknown): unknown {
  if (!(body instanceof FormData)) return body;
  return [...body.entries()].map(([name, value]) =>
    typeof value === 'string' ? [name, value] : [name, value.name, value.type, value.size],
  );
}

describe('the body generator', () => {
  const schema = toJsonSchema(note);
  const cases = malformedBodies({ schema, accepts: 'json', seed: 1, minCases: MIN_BODIES });
  const bodies = cases.map((c) => (typeof c.body === 'string' ? c.body : ''));

  it('makes at least 300 bodies, the same ones for the same seed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_BODIES);
    const again = malformedBodies({ schema, accepts: 'json', seed: 1, minCases: MIN_BODIES });
    expect(again.map((c) => comparable(c.body))).toEqual(cases.map((c) => comparable(c.body)));
  });

  it('puts NUL and lone surrogates into every string field, nested ones and keys included', () => {
    for (const field of ['title', 'tags.0.label', 'priority']) {
      const labels = cases.map((c) => c.label).filter((l) => l.startsWith(`${field}: `));
      expect(labels.some((l) => l.includes('\\u0000'))).toBe(true);
      expect(labels.some((l) => l.includes('\\uD800'))).toBe(true);
    }
    expect(bodies.some((b) => b.includes('"bad\\u0000key"'))).toBe(true);
    expect(bodies.some((b) => b.includes('"\\ud800":'))).toBe(true);
  });

  it('puts each wide character at every offset around the cut-off of a bounded field', () => {
    const titles = bodies.flatMap((b) => {
      try {
        const title = (JSON.parse(b) as { title?: unknown } | null)?.title;
        return typeof title === 'string' ? [title] : [];
      } catch {
        return [];
      }
    });
    for (const straddler of STRADDLERS) {
      for (let start = 120 - straddler.length - 1; start <= 120; start++) {
        const found = titles.some((title) => title.indexOf(straddler) === start);
        expect(found, `${straddler} at ${start}`).toBe(true);
      }
    }
  });

  it('covers wrong types, deep nesting, huge and invalid JSON, empty bodies and wrong types of content', () => {
    const labels = cases.map((c) => c.label);
    for (const expected of [
      'title: wrong type 0',
      'count: wrong type "1"',
      'arrays nested 20,000 deep',
      '2 MB string',
      'truncated JSON',
      'empty object (empty PATCH)',
      '(body): without title',
      '(body): extra field',
      'text/plain JSON',
      'form-urlencoded',
      'multipart form',
    ]) {
      expect(labels).toContain(expected);
    }
  });
});

describe('the path generator', () => {
  it('makes at least 20 malformed paths and queries per parameterised route', () => {
    const paths = malformedPaths('/api/things/[id]', {
      id: '2b8f0a8e-3a52-4d5e-9a55-64f4c1e6b7d1',
    });
    expect(paths.length).toBeGreaterThanOrEqual(MIN_PATHS);
    expect(paths.map((p) => p.path)).toContain('/api/things/%E0%A4%A');
    expect(paths.map((p) => p.path)).toContain(
      '/api/things/2b8f0a8e-3a52-4d5e-9a55-64f4c1e6b7d1?q=%00',
    );
  });

  it('decodes path segments as Next does, giving up where Next would', () => {
    expect(matchParams('/api/things/[id]', '/api/things/a%20b')).toEqual({ id: 'a b' });
    expect(matchParams('/api/things/[id]', '/api/things/%E0%A4%A')).toBeNull();
  });
});

describe('the fuzzer', () => {
  it('finds nothing wrong with a route that validates its input', async () => {
    const run = await fuzzBodies(bareDesk, route(carefulHandler));
    expect(run.sent).toBeGreaterThanOrEqual(MIN_BODIES);
    expect(run.failures.length, formatFailures(run.failures)).toBe(0);
  });

  it('reports every 500 and every error that is not JSON, together, with the input and the seed', async () => {
    const careless = route(async (request) => {
      const text = await request.text();
      if (text.includes('\\u0000'))
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      if (text === '{}') return new Response('No values to set', { status: 500 });
      if (text === '') return new Response('Bad Request', { status: 400 });
      return carefulHandler(new Request('http://localhost/', { method: 'POST', body: text }));
    });
    const run = await fuzzBodies(bareDesk, careless);
    const report = formatFailures(run.failures);
    expect(
      run.failures.some((f) => f.problem.startsWith('threw') && f.input.includes('\\u0000')),
    ).toBe(true);
    expect(run.failures.some((f) => f.status === 500 && f.input.startsWith('empty object'))).toBe(
      true,
    );
    expect(run.failures.some((f) => f.problem.startsWith('error is not JSON'))).toBe(true);
    expect(report).toContain('fuzz seed');
    expect(report).toContain('PATCH /api/fuzz-self-test/[id]');
  });

  it('sends malformed paths through the proxy first, as Next would', async () => {
    const run = await fuzzPaths(bareDesk, route(carefulHandler));
    expect(run.sent).toBeGreaterThanOrEqual(MIN_PATHS);
    // Paths Next's matcher cannot decode must be answered (as JSON) before they reach it.
    expect([...run.answers.keys()].some((answer) => answer.endsWith('(proxy)'))).toBe(true);
    expect(run.failures.length, formatFailures(run.failures)).toBe(0);
  });
});
