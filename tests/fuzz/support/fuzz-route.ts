import { vi } from 'vitest';
import { log } from '@/lib/log';
import { type DiscoveredRoute, STATE_CHANGING } from './discover-routes';
import type { FuzzDesk } from './fuzz-desk';
import { exampleOf, type JsonSchema, toJsonSchema } from './json-schema';
import { type BodyCase, malformedBodies, preview, showInvisible } from './malformed-bodies';
import { malformedPaths } from './malformed-paths';
import { excerpt, type Outgoing, problemWith, sendThroughNext } from './send-request';

/** The fuzzer's seed: the same requests every run. A failure report names it. */
export const FUZZ_SEED = 20_261_121;

export const MIN_BODIES = 300;
export const MIN_PATHS = 20;

export interface Failure {
  route: string;
  method: string;
  input: string;
  status: number | string;
  problem: string;
  body: string;
  /** What the server logged as an error while answering (the cause of a 500). */
  logged?: string;
}

export interface RouteRun {
  sent: number;
  failures: Failure[];
  /** How many answers of each status and error code, e.g. `400 bad_request:admin` → 212. */
  answers: Map<string, number>;
  /** CPU time the process spent sending them (wall time means little on a shared machine). */
  cpuMs: number;
}

/** `300  POST /api/x  (400 bad_request:admin ×212, 201 ×80, 415 … ×8)` */
export function describeRun(route: DiscoveredRoute, run: RouteRun): string {
  const answers = [...run.answers.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([answer, count]) => `${answer} ×${count}`)
    .join(', ');
  return `  ${run.sent}\t${route.method} ${route.template}  ${Math.round(run.cpuMs)} ms CPU  (${answers})`;
}

/** A seed per route, so adding a route does not change what the others are sent. */
export function seedFor(route: DiscoveredRoute): number {
  let hash = FUZZ_SEED;
  for (const char of `${route.method} ${route.template}`)
    hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash >>> 0;
}

const schemaOf = (schema: unknown): JsonSchema | undefined =>
  schema ? toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) : undefined;

/** Errors the server logged while a request was handled: a 500's cause, for the report. */
function watchLoggedErrors() {
  const logged: string[] = [];
  const spy = vi.spyOn(log, 'error').mockImplementation(((first: unknown, second?: unknown) => {
    const err = (first as { err?: unknown })?.err ?? first;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(second ?? err);
    logged.push(message.split('\n')[0]!.slice(0, 300));
  }) as typeof log.error);
  return {
    take: () => logged.splice(0).join(' | ') || undefined,
    stop: () => spy.mockRestore(),
  };
}

async function sendAll(
  route: DiscoveredRoute,
  requests: { input: string; outgoing: Outgoing }[],
): Promise<RouteRun> {
  const failures: Failure[] = [];
  const answers = new Map<string, number>();
  const cpu = process.cpuUsage();
  const watch = watchLoggedErrors();
  try {
    for (const { input, outgoing } of requests) {
      watch.take();
      let problem: string | null;
      let status: number | string;
      let body = '';
      try {
        const answer = await sendThroughNext(route.handler, route.template, outgoing);
        problem = problemWith(answer);
        status = answer.status;
        body = excerpt(answer.text);
        const code = answer.status >= 400 ? (/"code":"([^"]+)"/.exec(answer.text)?.[1] ?? '?') : '';
        const key = `${answer.status}${code ? ` ${code}` : ''}${answer.by === 'proxy' ? ' (proxy)' : ''}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      } catch (error) {
        problem = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        status = 'no response';
      }
      const logged = watch.take();
      if (problem) {
        failures.push({
          route: route.template,
          method: route.method,
          input,
          status,
          problem,
          body,
          logged,
        });
      }
    }
  } finally {
    watch.stop();
  }
  const used = process.cpuUsage(cpu);
  return { sent: requests.length, failures, answers, cpuMs: (used.user + used.system) / 1000 };
}

/** The route's body cases: at least MIN_BODIES, each sent as the route's own caller. */
export async function fuzzBodies(desk: FuzzDesk, route: DiscoveredRoute): Promise<RouteRun> {
  const contract = route.contract;
  await desk.beforeRoute();
  const params = await desk.paramsFor(route.template);
  const bodySchema = contract?.body;
  const cases = malformedBodies({
    schema: schemaOf(bodySchema),
    isWellFormed: bodySchema ? (value) => bodySchema.safeParse(value).success : undefined,
    accepts: contract?.accepts ?? 'json',
    ids: desk.ids,
    seed: seedFor(route),
    minCases: MIN_BODIES,
  });
  const path = route.template.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) =>
    encodeURIComponent(params[name]!),
  );
  const requests = [];
  for (const bodyCase of cases) {
    const headers = await desk.credentialsFor(contract?.caller, route.method);
    if (bodyCase.contentType) headers['content-type'] = bodyCase.contentType;
    requests.push({
      input: describeBody(bodyCase),
      outgoing: { method: route.method, path, headers, body: bodyCase.body },
    });
  }
  return sendAll(route, requests);
}

/** The route's malformed paths and queries, each with a well-formed body where it takes one. */
export async function fuzzPaths(desk: FuzzDesk, route: DiscoveredRoute): Promise<RouteRun> {
  const contract = route.contract;
  await desk.beforeRoute();
  const params = await desk.paramsFor(route.template);
  const body = schemaOf(contract?.body);
  const validBody =
    STATE_CHANGING.includes(route.method) && body
      ? JSON.stringify(exampleOf(body, body, { ids: desk.ids }))
      : undefined;
  const requests = [];
  for (const pathCase of malformedPaths(route.template, params, schemaOf(contract?.query))) {
    const headers = await desk.credentialsFor(contract?.caller, route.method);
    if (validBody !== undefined) headers['content-type'] = 'application/json';
    requests.push({
      input: `${pathCase.label} — ${showInvisible(pathCase.path.slice(0, 160))}`,
      outgoing: { method: route.method, path: pathCase.path, headers, body: validBody },
    });
  }
  return sendAll(route, requests);
}

function describeBody(bodyCase: BodyCase): string {
  const type = bodyCase.contentType ? `[${bodyCase.contentType}] ` : '';
  return `${bodyCase.label} — ${type}${preview(bodyCase.body ?? '(no body)')}`;
}

/**
 * All failures as one readable report: grouped by route, method and problem (with the error
 * code), each group with its count and a few of its inputs.
 */
export function formatFailures(failures: Failure[], seed = FUZZ_SEED): string {
  const groups = new Map<string, Failure[]>();
  for (const failure of failures) {
    const code = /"code":"([^"]+)"/.exec(failure.body)?.[1] ?? '';
    const key = `${failure.method} ${failure.route} → ${failure.problem.replace(/\d{3,}/g, 'N')} ${code}`;
    groups.set(key, [...(groups.get(key) ?? []), failure]);
  }
  const lines = [`${failures.length} failing requests (fuzz seed ${seed}):`];
  for (const [key, group] of groups) {
    lines.push('', `${key} — ${group.length} request(s)`);
    for (const failure of group.slice(0, 3)) {
      lines.push(`  input:  ${failure.input}`);
      lines.push(`  status: ${failure.status} — ${failure.problem}`);
      if (failure.body) lines.push(`  body:   ${failure.body}`);
      if (failure.logged) lines.push(`  logged: ${failure.logged}`);
    }
  }
  return lines.join('\n');
}
