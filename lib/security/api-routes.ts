import { API_ROUTE_METHODS } from './api-route-methods.generated';

/**
 * Which /api route Next would pick for a path, and the methods it exports. Next answers a method a
 * route does not export with an empty 405 before any of our code runs, so the proxy asks here
 * first and answers with JSON and an `Allow` header instead. The table is generated from the route
 * files and checked against them by tests/security/api-route-methods.test.ts.
 */
export interface ApiRouteMatch {
  /** The route's template, e.g. /api/v1/tickets/[id]. */
  route: string;
  methods: readonly string[];
}

type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'dynamic' }
  | { kind: 'catch-all'; optional: boolean };

interface CompiledRoute extends ApiRouteMatch {
  segments: Segment[];
}

const compile = (routes: Record<string, readonly string[]>): CompiledRoute[] =>
  Object.entries(routes).map(([route, methods]) => ({
    route,
    methods,
    segments: route
      .split('/')
      .filter((s) => s !== '' && !/^\(.*\)$/.test(s))
      .map((s): Segment => {
        const catchAll = /^\[(\[)?\.\.\.[^\]]+\]\]?$/.exec(s);
        if (catchAll) return { kind: 'catch-all', optional: catchAll[1] === '[' };
        if (/^\[[^\]]+\]$/.test(s)) return { kind: 'dynamic' };
        return { kind: 'static', value: s };
      }),
  }));

const compiled = compile(API_ROUTE_METHODS);

/**
 * Specificity rank of each matched segment (static before dynamic before catch-all before
 * optional catch-all), compared left to right as Next orders its routes; null when no match.
 */
function rankOf(segments: Segment[], path: string[]): number[] | null {
  const rank: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'catch-all') {
      if (i !== segments.length - 1) return null;
      if (path.length - i < (segment.optional ? 0 : 1)) return null;
      rank.push(segment.optional ? 3 : 2);
      return rank;
    }
    const part = path[i];
    if (part === undefined) return null;
    if (segment.kind === 'static') {
      if (segment.value !== part) return null;
      rank.push(0);
    } else rank.push(1);
  }
  return path.length === segments.length ? rank : null;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return b.length - a.length;
}

/** The route serving `pathname` (decoded segments, no query), or null when none does. */
export function matchApiRoute(
  pathname: string,
  routes: Record<string, readonly string[]> = API_ROUTE_METHODS,
): ApiRouteMatch | null {
  const table = routes === API_ROUTE_METHODS ? compiled : compile(routes);
  const path = pathname.split('/').filter((s) => s !== '');
  let best: { route: CompiledRoute; rank: number[] } | null = null;
  for (const route of table) {
    const rank = rankOf(route.segments, path);
    if (rank && (!best || compareRanks(rank, best.rank) < 0)) best = { route, rank };
  }
  return best ? { route: best.route.route, methods: best.route.methods } : null;
}

/** The methods Next serves for a route: its own, HEAD with GET, and OPTIONS always. */
export function allowedMethods(methods: readonly string[]): string[] {
  const allowed = new Set([...methods, 'OPTIONS']);
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}
