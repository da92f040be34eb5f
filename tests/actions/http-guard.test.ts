import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionDefinitionInput, parseActionDefinition } from '@/lib/actions/definition';
import { type ActionNetwork, executeHttpAction, guardTarget } from '@/lib/actions/http';
import { encryptSecret, SECRET_MASK } from '@/lib/actions/secrets';
import { parseConfig } from '@/lib/config';
import { startShopServer } from './shop-server';

type Shop = Awaited<ReturnType<typeof startShopServer>>;
let shop: Shop;
beforeAll(async () => {
  shop = await startShopServer();
});
afterAll(() => shop.close());

const appSecret = 'a-desk-secret-of-at-least-32-characters';
const allowLoopback: ActionNetwork = { allowPrivateNetworks: false, allowedHosts: ['127.0.0.1'] };

function httpAction(http: Partial<Extract<ActionDefinitionInput, { kind: 'http' }>['http']>) {
  const action = parseActionDefinition({
    kind: 'http',
    name: 'order_status',
    label: 'Look up an order',
    description: 'Look up an order.',
    effect: 'read',
    inputs: [{ name: 'order_number', type: 'string' }],
    http: { method: 'GET', url: `${shop.origin}/orders/{input.order_number}`, ...http },
  });
  if (action.kind !== 'http') throw new Error('expected an http action');
  return action;
}

const run = (
  action: ReturnType<typeof httpAction>,
  network = allowLoopback,
  secrets: Record<string, string> = {},
) =>
  executeHttpAction(action, { secrets, appSecret }, { input: { order_number: 'A1001' } }, network);

describe('the address guard', () => {
  const url = (host: string) => new URL(`http://${host}/x`);
  const none: ActionNetwork = { allowPrivateNetworks: false, allowedHosts: [] };

  it('refuses loopback and private targets unless allowed', async () => {
    for (const host of [
      '127.0.0.1',
      '[::1]',
      '10.1.2.3',
      '169.254.169.254',
      '[::ffff:127.0.0.1]',
    ]) {
      await expect(guardTarget(url(host), none), host).rejects.toMatchObject({
        code: 'forbidden:action',
      });
    }
    const before = shop.seen.length;
    const result = await run(httpAction({}), none);
    expect(result.error).toMatch(/private or local network/);
    expect(shop.seen.length).toBe(before);
  });

  it('refuses a name when any of its addresses is private, whatever the others', async () => {
    const resolveHost = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    await expect(guardTarget(url('shop.example'), { ...none, resolveHost })).rejects.toMatchObject({
      code: 'forbidden:action',
    });
    // Allowing loopback does not allow the rest of the private network.
    await expect(
      guardTarget(url('shop.example'), { ...allowLoopback, resolveHost }),
    ).rejects.toMatchObject({ code: 'forbidden:action' });
  });

  it('lets through exactly the allowed hosts, addresses and ranges', async () => {
    const internal = async () => [{ address: '10.20.0.5', family: 4 as const }];
    const allow = (allowedHosts: string[]) => ({ ...none, allowedHosts, resolveHost: internal });
    await expect(guardTarget(url('127.0.0.1'), allow(['127.0.0.1']))).resolves.toBeTruthy();
    await expect(
      guardTarget(url('orders.shop.internal'), allow(['*.shop.internal'])),
    ).resolves.toEqual({
      address: '10.20.0.5',
      family: 4,
    });
    await expect(
      guardTarget(url('orders.internal'), allow(['10.20.0.0/16'])),
    ).resolves.toBeTruthy();
    await expect(guardTarget(url('orders.internal'), allow(['10.21.0.0/16']))).rejects.toThrow();
    await expect(guardTarget(url('other.internal'), allow(['orders.internal']))).rejects.toThrow();
    await expect(
      guardTarget(url('10.9.9.9'), { allowPrivateNetworks: true, allowedHosts: [] }),
    ).resolves.toBeTruthy();
  });

  it('reads its allowance from TANDEM_ACTIONS_ALLOWED_HOSTS and refuses a malformed one', () => {
    expect(
      parseConfig({
        TANDEM_ACTIONS_ALLOWED_HOSTS: 'localhost, 127.0.0.1,10.0.0.0/8,*.Shop.internal',
      }).actions.allowedHosts,
    ).toEqual(['localhost', '127.0.0.1', '10.0.0.0/8', '*.shop.internal']);
    expect(parseConfig({}).actions.allowedHosts).toEqual([]);
    expect(() => parseConfig({ TANDEM_ACTIONS_ALLOWED_HOSTS: 'http://x.test/' })).toThrow(
      /TANDEM_ACTIONS_ALLOWED_HOSTS/,
    );
  });
});

describe('an HTTP action call', () => {
  it('keeps only the allowlisted fields of the answer', async () => {
    const result = await run(httpAction({ responseFields: ['order.status', 'order.number'] }));
    expect(result.error).toBeUndefined();
    expect(result.response).toEqual({
      status: 200,
      data: { order: { status: 'shipped', number: 'A1001' } },
    });
  });

  it('sends a secret header but shows it masked, even where the service echoes it', async () => {
    const action = httpAction({
      headers: [
        { name: 'X-Api-Key', secret: true },
        { name: 'X-Order', value: '{input.order_number}' },
      ],
      responseFields: ['debug.apiKey', 'order.status'],
    });
    const secrets = { 'x-api-key': encryptSecret(appSecret, 'x-api-key', 'sk_live_TOPSECRET') };
    const result = await run(action, allowLoopback, secrets);
    expect(shop.seen.at(-1)!.headers['x-api-key']).toBe('sk_live_TOPSECRET');
    expect(shop.seen.at(-1)!.headers['x-order']).toBe('A1001');
    expect(result.request.headers['x-api-key']).toBe(SECRET_MASK);
    expect(result.request.headers['x-order']).toBe('A1001');
    expect(JSON.stringify(result)).not.toContain('TOPSECRET');
    expect(result.response?.data).toEqual({
      debug: { apiKey: SECRET_MASK },
      order: { status: 'shipped' },
    });
  });

  it('gives up after its timeout', async () => {
    const started = Date.now();
    const result = await run(httpAction({ url: `${shop.origin}/slow`, timeoutMs: 200 }));
    expect(result.error).toBe('The service did not answer within 200 ms.');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('stops reading past its size cap', async () => {
    const result = await run(httpAction({ url: `${shop.origin}/big`, maxBytes: 1000 }));
    expect(result.error).toBe('The answer was larger than the 1000 byte limit.');
    expect(result.response).toBeUndefined();
  });

  it('does not follow a redirect', async () => {
    const before = shop.seen.length;
    const result = await run(httpAction({ url: `${shop.origin}/redirect` }));
    expect(result.error).toMatch(/redirected \(302\)/);
    expect(shop.seen.slice(before).map((r) => r.url)).toEqual(['/redirect']);
  });

  it('reports an error status with the allowlisted part of the answer', async () => {
    const result = await run(
      httpAction({ url: `${shop.origin}/missing`, responseFields: ['error'] }),
    );
    expect(result.error).toMatch(/answered 404/);
    expect(result.response).toEqual({ status: 404, data: { error: 'no such thing' } });
  });
});
