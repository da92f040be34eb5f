import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashCache } from '@/lib/cache/upstash-cache';
import { testEnv } from '../harness/test-env';
import { startUpstashShim, type UpstashShim } from '../harness/upstash-rest-shim';
import { createTestPrefix, describeCacheContract } from './cache-contract';

const redisUrl = testEnv.redisUrl;

describe.skipIf(!redisUrl)('cache: @upstash/redis (REST shim → redis-server)', () => {
  const token = randomUUID();
  let shim: UpstashShim;

  beforeAll(async () => {
    shim = await startUpstashShim({ redisUrl: redisUrl ?? '', token });
  });

  afterAll(async () => {
    await shim?.close();
  });

  describeCacheContract('contract', async () =>
    createUpstashCache({ url: shim.url, token, prefix: createTestPrefix() }),
  );

  it('fails with Unauthorized on a wrong token', async () => {
    const cache = createUpstashCache({ url: shim.url, token: 'wrong', prefix: createTestPrefix() });
    await expect(cache.ping()).rejects.toThrow(/Unauthorized/);
    await expect(cache.subscribe('events', () => {})).rejects.toThrow(/Unauthorized/);
    await cache.close();
  });

  describe('shim protocol', () => {
    const prefix = createTestPrefix();
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${shim.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };

    afterAll(async () => {
      await post('/', ['del', `${prefix}plain`]);
    });

    it('answers plain and base64-encoded results', async () => {
      expect(await post('/', ['set', `${prefix}plain`, 'héllo'])).toEqual({
        status: 200,
        body: { result: 'OK' },
      });
      expect(await post('/', ['get', `${prefix}plain`], { 'Upstash-Encoding': 'base64' })).toEqual({
        status: 200,
        body: { result: Buffer.from('héllo').toString('base64') },
      });
    });

    it('reports command errors per entry in a pipeline and as 400 for one command', async () => {
      const pipeline = await post('/pipeline', [
        ['incr', `${prefix}plain`],
        ['echo', 'x'],
      ]);
      expect(pipeline.status).toBe(200);
      expect(pipeline.body).toEqual([
        { error: expect.stringMatching(/not an integer/) },
        { result: 'x' },
      ]);
      const single = await post('/', ['incr', `${prefix}plain`]);
      expect(single).toEqual({
        status: 400,
        body: { error: expect.stringMatching(/not an integer/) },
      });
    });
  });
});
