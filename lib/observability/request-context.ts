import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
}

// On globalThis so every route bundle (and lib/log in each) sees the same store.
const holder = globalThis as typeof globalThis & {
  __tandemRequestContext?: AsyncLocalStorage<RequestContext>;
};
holder.__tandemRequestContext ??= new AsyncLocalStorage<RequestContext>();
const storage = holder.__tandemRequestContext;

/** Runs `work` with a request id that every log line written inside it carries. */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

const PLAUSIBLE_ID = /^[\w.:-]{1,128}$/;

/** The caller's (or a proxy's) `x-request-id` when it is a sane token; a new UUID otherwise. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get('x-request-id')?.trim();
  return given && PLAUSIBLE_ID.test(given) ? given : randomUUID();
}
