import type { z } from 'zod';
import type { ApiScope } from '@/lib/api-keys/keys';
import type { Role } from '@/lib/staff/queries';

/** Who a route serves, as its wrapper checks it. */
export type RouteCaller =
  | { kind: 'staff'; role: Role }
  | { kind: 'widget' }
  | { kind: 'api'; scope: ApiScope }
  /** The demo shop's own API: its bearer token (app/api/demo-shop). */
  | { kind: 'demo-shop' };

/**
 * What a route accepts, declared once in its wrapper: the wrapper validates with these schemas,
 * and the fuzz suite (tests/fuzz) reads them to attack every route without a hand-kept list.
 */
export interface RouteContract {
  caller: RouteCaller;
  /** How the body is read: JSON, multipart form data (file uploads), or none at all. */
  accepts: 'json' | 'multipart' | 'none';
  body?: z.ZodType;
  query?: z.ZodType;
}

export type ContractedHandler<H> = H & { contract: RouteContract };

/** Attaches the route's contract to the handler Next calls. */
export function withContract<H extends object>(
  handler: H,
  contract: RouteContract,
): ContractedHandler<H> {
  return Object.assign(handler, { contract });
}
