import { describe, expect, it } from 'vitest';
import {
  type ActionDefinitionInput,
  inputSchemaOf,
  parseActionDefinition,
  summarizeCall,
} from '@/lib/actions/definition';
import { decryptSecret, encryptSecret, mergeSecrets } from '@/lib/actions/secrets';
import { pickPaths, readPath, renderBody, renderHeader, renderUrl } from '@/lib/actions/template';
import { TandemError } from '@/lib/errors';

const orderStatus: ActionDefinitionInput = {
  kind: 'http',
  name: 'order_status',
  label: 'Look up an order',
  description: "Look up one of the customer's orders by its number.",
  effect: 'read',
  inputs: [
    { name: 'order_number', type: 'string', pattern: 'A\\d{4}', description: 'Like A1001' },
    { name: 'customer_ref', type: 'string', fromCustomer: 'site_user_id' },
  ],
  http: {
    method: 'GET',
    url: 'https://shop.example/orders/{input.order_number}?customer={input.customer_ref}',
    responseFields: ['order.status'],
  },
};

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TandemError);
    const details = (error as TandemError).details as { fields: { field: string }[] };
    return details.fields.map((f) => f.field);
  }
  throw new Error('expected a validation error');
}

describe('action definitions', () => {
  it('accepts a complete definition and fills the defaults', () => {
    const action = parseActionDefinition(orderStatus);
    expect(action).toMatchObject({
      verifiedOnly: true,
      needsApproval: false,
      enabled: false,
      rateLimitPerHour: 60,
      http: { headers: [], body: null, timeoutMs: 10_000, maxBytes: 256 * 1024 },
    });
  });

  it('names each offending field by its path', () => {
    const fields = fieldsOf(() =>
      parseActionDefinition({
        ...orderStatus,
        name: 'Order Status!',
        inputs: [{ name: 'kind', type: 'enum' }],
        http: {
          method: 'GET',
          url: 'ftp://x',
          headers: [
            { name: 'Host', value: 'evil' },
            { name: 'X-Note', value: 'a\r\nSet-Cookie: x' },
          ],
          responseFields: ['order..status'],
        },
      }),
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'inputs.0.choices',
        'http.url',
        'http.headers.0.name',
        'http.headers.1.value',
        'http.responseFields.0',
      ]),
    );
  });

  it('refuses placeholders it does not know and a host that comes from a value', () => {
    expect(
      fieldsOf(() =>
        parseActionDefinition({
          ...orderStatus,
          http: { method: 'GET', url: 'https://{input.order_number}.example/x?q={input.nope}' },
        }),
      ),
    ).toEqual(['http.url', 'http.url']);
  });

  it('insists on verified customers for an action that uses who the customer is', () => {
    expect(fieldsOf(() => parseActionDefinition({ ...orderStatus, verifiedOnly: false }))).toEqual([
      'verifiedOnly',
    ]);
    const bodyOnly = {
      ...orderStatus,
      inputs: [],
      effect: 'write' as const,
      http: {
        method: 'POST' as const,
        url: 'https://x.example/r',
        body: { who: '{customer.email}' },
      },
      verifiedOnly: false,
    };
    expect(fieldsOf(() => parseActionDefinition(bodyOnly))).toEqual(['verifiedOnly']);
  });

  it("offers the model only the inputs it may fill, each checked against the admin's pattern", () => {
    const schema = inputSchemaOf(parseActionDefinition(orderStatus));
    expect(Object.keys(schema.shape)).toEqual(['order_number']);
    expect(schema.safeParse({ order_number: 'A1001' }).success).toBe(true);
    expect(schema.safeParse({ order_number: 'xA1001y' }).success).toBe(false);
    // A supplied customer reference is not part of the call at all.
    expect(schema.parse({ order_number: 'A1001', customer_ref: 'someone-else' })).toEqual({
      order_number: 'A1001',
    });
  });

  it('summarises a call for the confirmation by its label and the inputs the model gave', () => {
    const action = parseActionDefinition(orderStatus);
    expect(summarizeCall(action, { order_number: 'A1001', customer_ref: 'u-1' })).toBe(
      'Look up an order (order number: A1001)',
    );
  });
});

describe('templates', () => {
  const values = {
    input: { order: 'A1/../admin?x=1', qty: 3, note: 'say "hi"' },
    customer: { email: 'ann@example.com', site_user_id: 'u 1' },
  };

  it('encodes values in a URL so they cannot change its path or query', () => {
    expect(renderUrl('https://s.example/o/{input.order}?by={customer.site_user_id}', values)).toBe(
      'https://s.example/o/A1%2F..%2Fadmin%3Fx%3D1?by=u%201',
    );
  });

  it('keeps types in a JSON body, drops absent values and never parses a value as JSON', () => {
    const body = renderBody(
      {
        qty: '{input.qty}',
        note: 'Note: {input.note}',
        who: '{customer.email}',
        missing: '{input.absent}',
        list: ['{input.qty}', '{input.absent}'],
      },
      values,
    );
    expect(body).toEqual({
      qty: 3,
      note: 'Note: say "hi"',
      who: 'ann@example.com',
      list: [3, null],
    });
    expect(JSON.parse(JSON.stringify(body)).note).toBe('Note: say "hi"');
  });

  it('refuses a header value with a line break', () => {
    expect(renderHeader('X {input.v}', { input: { v: 'ok' } })).toBe('X ok');
    expect(() => renderHeader('X {input.v}', { input: { v: 'a\r\nSet-Cookie: x' } })).toThrow(
      /line breaks/,
    );
  });

  it('keeps only allowlisted paths, in their nesting', () => {
    const data = {
      order: { status: 'shipped', internalNote: 'fraud check', total: 12 },
      items: [
        { name: 'Lamp', cost: 3, sku: 'L-1' },
        { name: 'Desk', cost: 9, sku: 'D-2' },
      ],
      token: 'secret',
    };
    expect(pickPaths(data, ['order.status', 'items[].name', 'items[].sku', 'nope.x'])).toEqual({
      order: { status: 'shipped' },
      items: [
        { name: 'Lamp', sku: 'L-1' },
        { name: 'Desk', sku: 'D-2' },
      ],
    });
    expect(pickPaths([{ id: 1, x: 2 }], ['[].id'])).toEqual([{ id: 1 }]);
    expect(pickPaths(data, [])).toEqual({});
    expect(readPath(data, 'items[].name')).toEqual(['Lamp', 'Desk']);
  });

  it('cannot be made to set a prototype by a response key', () => {
    const picked = pickPaths(JSON.parse('{"__proto__": {"polluted": true}}'), ['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(picked)).toBe(Object.prototype);
  });
});

describe('secret header values', () => {
  const appSecret = 'x'.repeat(40);

  it('round-trips only under the same desk secret and header name', () => {
    const sealed = encryptSecret(appSecret, 'authorization', 'Bearer sk_live_123');
    expect(sealed).not.toContain('sk_live_123');
    expect(decryptSecret(appSecret, 'authorization', sealed)).toBe('Bearer sk_live_123');
    expect(() => decryptSecret('y'.repeat(40), 'authorization', sealed)).toThrow(/enter its value/);
    expect(() => decryptSecret(appSecret, 'x-api-key', sealed)).toThrow();
  });

  it('keeps a stored value when an edit leaves it blank and drops it when no longer secret', () => {
    const stored = mergeSecrets(appSecret, {}, [{ name: 'X-Key', value: 'k1', secret: true }]);
    const kept = mergeSecrets(appSecret, stored, [{ name: 'X-Key', secret: true }]);
    expect(kept).toEqual(stored);
    expect(
      mergeSecrets(appSecret, stored, [{ name: 'X-Key', value: 'k1', secret: false }]),
    ).toEqual({});
  });
});
