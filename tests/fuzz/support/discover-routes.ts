import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteContract } from '@/app/api/route-contract';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const STATE_CHANGING: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export type RouteHandler = ((
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>) & { contract?: RouteContract };

/** One exported method of one route module, as Next would call it. */
export interface DiscoveredRoute {
  /** e.g. app/api/admin/users/[id]/route.ts */
  file: string;
  /** e.g. /api/admin/users/[id] */
  template: string;
  /** The dynamic segments' names, in path order. */
  params: string[];
  method: HttpMethod;
  handler: RouteHandler;
  contract?: RouteContract;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const API_DIR = path.join(ROOT, 'app/api');

/** Route modules owned by next-auth: its own tests cover them. */
export const isNextAuthRoute = (file: string) => file.startsWith('app/api/auth/');

/**
 * The fallback answering "no such API" for any /api path no route serves: it has no caller and
 * no input, so no contract; it is still sent every malformed body and path, anonymously.
 */
export const isUnknownPathFallback = (file: string) =>
  /^app\/api\/\[\.\.\.[^\]]+\]\/route\.ts$/.test(file);

/** Every app/api/**\/route.ts, relative to the project root, sorted. */
export function routeFiles(): string[] {
  return readdirSync(API_DIR, { recursive: true, encoding: 'utf8' })
    .filter((entry) => path.basename(entry) === 'route.ts')
    .map((entry) => path.posix.join('app/api', entry.split(path.sep).join('/')))
    .sort();
}

/** The URL path a route file serves: route groups dropped, dynamic segments kept as [name]. */
export function templateOf(file: string): string {
  const segments = path.posix
    .dirname(file)
    .replace(/^app/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

export const paramsOf = (template: string) =>
  [...template.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!);

/** Imports every route module and lists each HTTP method it exports, with its contract. */
export async function discoverRoutes(): Promise<DiscoveredRoute[]> {
  const routes: DiscoveredRoute[] = [];
  for (const file of routeFiles()) {
    if (isNextAuthRoute(file)) continue;
    const module = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    const template = templateOf(file);
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (typeof handler !== 'function') continue;
      const routeHandler = handler as RouteHandler;
      routes.push({
        file,
        template,
        params: paramsOf(template),
        method,
        handler: routeHandler,
        contract: routeHandler.contract,
      });
    }
  }
  return routes;
}
