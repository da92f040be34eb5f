import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as readiness from '@/app/api/health/ready/route';
import * as liveness from '@/app/api/health/route';
import type { AppContext } from '@/lib/context';
import { serveRoutesFrom, startTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp());
});

afterAll(() => stop());

describe('health endpoints', () => {
  it('liveness answers without touching the database', async () => {
    serveRoutesFrom(Promise.reject(new Error('must not be needed')));
    const response = liveness.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readiness reports the database and cache it checked', async () => {
    serveRoutesFrom(Promise.resolve(app));
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
    const broken: AppContext = {
      ...app,
      cache: { ...app.cache, ping: () => Promise.reject(new Error('connection refused')) },
    };
    serveRoutesFrom(Promise.resolve(broken));
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'down',
      checks: { database: { status: 'ok' }, cache: { status: 'down' } },
    });
  });

  it('readiness is 503 when the vector store is unreachable', async () => {
    const broken: AppContext = {
      ...app,
      vectors: { ...app.vectors, count: () => Promise.reject(new Error('qdrant down')) },
    };
    serveRoutesFrom(Promise.resolve(broken));
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'down',
      checks: { vectors: { status: 'down' } },
    });
  });

  it('readiness is 503 when the app could not start', async () => {
    serveRoutesFrom(Promise.reject(new Error('database unreachable')));
    const response = await readiness.GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'down',
      checks: { startup: { status: 'down' } },
    });
  });
});
