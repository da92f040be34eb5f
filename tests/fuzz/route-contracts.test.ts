import { describe, expect, it } from 'vitest';
import {
  discoverRoutes,
  isUnknownPathFallback,
  routeFiles,
  STATE_CHANGING,
} from './support/discover-routes';

const routes = await discoverRoutes();

describe('every route can be fuzzed from its own contract', () => {
  it('finds the route modules under app/api', () => {
    expect(routeFiles().length).toBeGreaterThan(50);
    expect(routes.some((r) => r.template === '/api/chat' && r.method === 'POST')).toBe(true);
  });

  it('has a contract on every state-changing route (next-auth and the unknown-path fallback aside)', () => {
    const missing = routes
      .filter((r) => STATE_CHANGING.includes(r.method) && !r.contract)
      .filter((r) => !isUnknownPathFallback(r.file))
      .map((r) => `${r.method} ${r.template}  (${r.file})`);
    expect(
      missing,
      `State-changing routes without a contract, which the fuzzer cannot attack as their caller. Build them with staffRoute, apiRoute or widgetRoute:\n${missing.join('\n')}`,
    ).toEqual([]);
  });
});
