import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSwitchBody } from '@/app/api/admin/actions/schemas';
import { auditLog } from '@/db/schema';
import { changeActionSecrets } from '@/lib/actions/manage';
import { createAction, getAction, presentAction } from '@/lib/actions/queries';
import { decryptSecret } from '@/lib/actions/secrets';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

/*
 * An action imported from an OpenAPI document has its secret header but no value: the admin
 * sets the value on its own (write-only) before testing it, without editing the rest.
 */

let database: TestDatabaseContext;
const admin = { type: 'staff', id: '00000000-0000-4000-8000-000000000001', name: 'Ada' } as const;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

const deps = () => ({
  db: database.db,
  secret: database.secret,
  network: { allowPrivateNetworks: false, allowedHosts: [] },
});

async function imported(name: string) {
  return createAction(database.db, database.secret, {
    kind: 'http',
    name,
    label: 'Get an order',
    description: 'Gets an order.',
    effect: 'read',
    inputs: [],
    http: {
      method: 'GET',
      url: 'https://shop.example.com/orders',
      headers: [
        { name: 'Authorization', secret: true },
        { name: 'X-Shop', value: 'main' },
      ],
      responseFields: [],
    },
  });
}

describe('setting an action’s secret header values', () => {
  it('stores the value encrypted, shows it only as set, and audits the header’s name alone', async () => {
    const action = await imported('get_order_a');
    expect(presentAction(action).http?.headers[0]).toEqual({
      name: 'Authorization',
      secret: true,
      set: false,
    });
    await changeActionSecrets(deps(), admin, action.id, { authorization: 'Bearer tok-123456' });
    const stored = await getAction(database.db, action.id);
    expect(decryptSecret(database.secret, 'authorization', stored.secrets.authorization!)).toBe(
      'Bearer tok-123456',
    );
    const shown = JSON.stringify(presentAction(stored));
    expect(shown).not.toContain('tok-123456');
    expect(presentAction(stored).http?.headers[0]).toMatchObject({ set: true });
    // The rest of the definition is as it was.
    const httpOf = (a: object) => (a as { http?: unknown }).http;
    expect(httpOf(stored)).toEqual(httpOf(action));
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, action.id));
    expect(entry?.details).toMatchObject({ secretHeadersSet: ['authorization'] });
    expect(JSON.stringify(entry)).not.toContain('tok-123456');
  });

  it('refuses a header that is not one of the action’s secret headers, naming it', async () => {
    const action = await imported('get_order_b');
    for (const name of ['X-Shop', 'X-Other']) {
      await expect(
        changeActionSecrets(deps(), admin, action.id, { [name]: 'v' }),
      ).rejects.toMatchObject({
        status: 400,
        details: {
          fields: [{ field: `secrets.${name}`, message: 'is not a secret header of this action' }],
        },
      });
    }
    expect((await getAction(database.db, action.id)).secrets).toEqual({});
  });

  it('takes either a switch or secret values in one request, never both or an empty value', () => {
    expect(actionSwitchBody.safeParse({ enabled: true }).success).toBe(true);
    expect(actionSwitchBody.safeParse({ secrets: { Authorization: 'Bearer x' } }).success).toBe(
      true,
    );
    for (const body of [
      {},
      { enabled: true, secrets: { Authorization: 'x' } },
      { secrets: {} },
      { secrets: { Authorization: '' } },
      { secrets: { Authorization: 'a\r\nInjected: 1' } },
    ]) {
      expect(actionSwitchBody.safeParse(body).success).toBe(false);
    }
  });
});
