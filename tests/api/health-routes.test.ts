import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@/lib/app';

const holder = vi.hoisted(() => ({ app: undefined as Promise<App> | undefined }));
vi.mock('@/lib/app', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/app')>()),
  getApp: () => holder.app,
}));

const { startTestApp } = await import('../harness/app');
const liveness = await import('@/app/api/health/route');
const readiness = await import('@/app/api/health/ready/route');

let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp());
});

afterAll(() => stop());

describe('health endpoints', () => {
  it('liveness answers without touching the database', async () => {
    holder.app = Promise.reject(new Error('must not be needed'));
    holder.app.catch(() => {});
    const response = liveness.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readiness reports the database and cache it checked', async () => {
    holder.app = Promise.resolve(app);
    const response = await readiness.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      checks: {
        database: { status: 'ok', driver: 'pglite' },
        cache: { status: 'ok', kind: 'memory' },
        vectors: { status: 'ok', kind: 'pgvector' },
      },
    });
  });

  it('readiness is 503 when the cache is unreachable', async () => {
    const broken: App = {
      ...app,
      cache: { ...app.cache, ping: () => Promise.reject(new Error('connection refused')) },
    };
    holder.app = Promise.resolve(broken);
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'down',
      checks: { database: { status: 'ok' }, cache: { status: 'down' } },
    });
  });

  it('readiness is 503 when the vector store is unreachable', async () => {
    const broken: App = {
      ...app,
      vectors: { ...app.vectors, count: () => Promise.reject(new Error('qdrant down')) },
    };
    holder.app = Promise.resolve(broken);
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'down',
      checks: { vectors: { status: 'down' } },
    });
  });

  it('readiness is 503 when the app could not start', async () => {
    holder.app = Promise.reject(new Error('database unreachable'));
    holder.app.catch(() => {});
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'down',
      checks: { startup: { status: 'down' } },
    });
  });
});
