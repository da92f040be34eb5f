import { describe, expect, it } from 'vitest';
import { hasExpired, nextCallStatus } from '@/lib/actions/calls';
import { parseActionDefinition } from '@/lib/actions/definition';
import { draftOf, resultData } from '@/lib/actions/mcp';

const connector = { id: '6f1c1c52-8a4b-4c55-9a39-2f4c8a1b7e01' };

describe('a tool offered as an action', () => {
  it('becomes a valid draft: snake_case inputs mapped back to the argument names, a write unless read-only', () => {
    const { draft, warnings, importable } = draftOf(connector, {
      name: 'getOrderStatus',
      description: 'Where an order is.',
      inputSchema: {
        type: 'object',
        properties: {
          orderId: { type: 'string', pattern: '^A\\d{4}$' },
          verbose: { type: 'boolean' },
          channel: { type: 'string', enum: ['web', 'app'] },
          count: { type: 'integer' },
          filter: { type: 'object' },
        },
        required: ['orderId'],
      },
    });
    expect(importable).toBe(true);
    expect(draft).toMatchObject({
      name: 'get_order_status',
      effect: 'write',
      inputs: [
        { name: 'order_id', type: 'string', pattern: 'A\\d{4}', required: true },
        { name: 'verbose', type: 'boolean', required: false },
        { name: 'channel', type: 'enum', choices: ['web', 'app'] },
        { name: 'count', type: 'number' },
      ],
      mcp: { tool: 'getOrderStatus', argumentNames: { order_id: 'orderId' } },
    });
    expect(warnings).toEqual([
      'The optional argument filter is left out: its type is not a plain value.',
      'The server does not mark it read-only: it is imported as a write.',
    ]);
    expect(() => parseActionDefinition(draft)).not.toThrow();
  });

  it('cannot be offered when a required argument is not a plain value', () => {
    const { importable } = draftOf(connector, {
      name: 'search',
      annotations: { readOnlyHint: true },
      inputSchema: { properties: { query: { type: 'array' } }, required: ['query'] },
    });
    expect(importable).toBe(false);
  });

  it('refuses argument names that name no input', () => {
    const { draft } = draftOf(connector, {
      name: 'x_tool',
      inputSchema: { properties: { orderId: { type: 'string' } } },
    });
    expect(() =>
      parseActionDefinition({ ...draft, mcp: { ...draft.mcp, argumentNames: { other: 'y' } } }),
    ).toThrow(/mcp\.argumentNames\.other: names no input/);
  });
});

describe("a tool's result", () => {
  it('is its structured content, else its one JSON text, else its text', () => {
    expect(resultData({ structuredContent: { a: 1 }, content: [] })).toEqual({ a: 1 });
    expect(resultData({ content: [{ type: 'text', text: '{"b":2}' }] })).toEqual({ b: 2 });
    expect(
      resultData({
        content: [
          { type: 'text', text: 'one' },
          { type: 'image', data: '…' },
          { type: 'text', text: 'two' },
        ],
      }),
    ).toEqual({ text: 'one\ntwo' });
  });
});

describe('a waiting call', () => {
  const now = new Date('2026-12-05T00:00:00Z');
  const past = new Date(now.getTime() - 1);
  const future = new Date(now.getTime() + 60_000);

  it.each([
    ['awaiting_confirmation', past, true],
    ['awaiting_approval', past, true],
    ['awaiting_confirmation', future, false],
    ['awaiting_approval', null, false],
    ['ready', past, false],
    ['completed', past, false],
  ] as const)('%s expiring at %s has expired: %s', (status, expiresAt, expired) => {
    expect(hasExpired({ status, expiresAt }, now)).toBe(expired);
  });

  it('expires only from a wait', () => {
    const policy = { needsApproval: false };
    expect(nextCallStatus('awaiting_confirmation', { type: 'expire' }, policy)).toBe('expired');
    expect(nextCallStatus('awaiting_approval', { type: 'expire' }, policy)).toBe('expired');
    for (const status of ['ready', 'running', 'completed', 'expired'] as const) {
      expect(nextCallStatus(status, { type: 'expire' }, policy)).toBeNull();
    }
    expect(nextCallStatus('expired', { type: 'confirm' }, policy)).toBeNull();
    expect(nextCallStatus('expired', { type: 'start' }, policy)).toBeNull();
  });
});
