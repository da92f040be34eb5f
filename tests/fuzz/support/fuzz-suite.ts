import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscoveredRoute, discoverRoutes, STATE_CHANGING } from './discover-routes';
import { type FuzzDesk, openFuzzDesk } from './fuzz-desk';
import {
  describeRun,
  formatFailures,
  fuzzBodies,
  fuzzPaths,
  MIN_BODIES,
  MIN_PATHS,
  type RouteRun,
  seedFor,
} from './fuzz-route';

/**
 * The fuzz suite for the routes `include` picks among all of app/api (found by globbing, so a
 * new route is in it without being listed):
 * - every state-changing route is sent at least MIN_BODIES malformed bodies generated from its
 *   own body schema;
 * - every route with a dynamic segment or a query schema is sent at least MIN_PATHS malformed
 *   paths and queries, through proxy() first as Next would;
 * each as the caller its contract names. No answer may be 500 or more, and every error must be
 * JSON `{ error: { code: 'type:surface', message } }` with a request id. Each suite runs on one
 * throwaway desk; the routes are split over a few files so that Vitest's workers share them.
 */
export async function defineFuzzSuite(include: (route: DiscoveredRoute) => boolean) {
  const routes = (await discoverRoutes()).filter(include);
  const withBodies = routes.filter((r) => STATE_CHANGING.includes(r.method));
  const withPaths = routes.filter((r) => r.params.length > 0 || r.contract?.query !== undefined);

  let desk: FuzzDesk;
  const report: string[] = [];
  beforeAll(async () => {
    desk = await openFuzzDesk();
  }, 180_000);
  afterAll(async () => {
    console.info(report.join('\n'));
    await desk?.stop();
  });

  const check = (route: DiscoveredRoute, run: RouteRun, minimum: number, what: string) => {
    report.push(`${what}: ${describeRun(route, run)}`);
    expect(run.sent).toBeGreaterThanOrEqual(minimum);
    expect(run.failures.length, formatFailures(run.failures, seedFor(route))).toBe(0);
  };

  describe('malformed bodies never get a 5xx or an error that is not JSON', () => {
    it.each(withBodies.map((r) => [`${r.method} ${r.template}`, r] as const))(
      '%s',
      async (_, route) => check(route, await fuzzBodies(desk, route), MIN_BODIES, 'bodies'),
      180_000,
    );
  });

  describe('malformed paths and queries never get a 5xx or an error that is not JSON', () => {
    it.each(withPaths.map((r) => [`${r.method} ${r.template}`, r] as const))(
      '%s',
      async (_, route) => check(route, await fuzzPaths(desk, route), MIN_PATHS, 'paths'),
      120_000,
    );
  });
}
