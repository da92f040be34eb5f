import { describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '@/components/console/console-events';
import { notificationFor } from '@/components/console/notification-for';

const at = '2026-12-05T10:00:00.000Z';
const held = new Map([['c-held', 'Wren']]);
const message = (role: string, conversationId: string, content = 'Is my parcel lost?') =>
  ({
    type: 'message.created',
    conversationId,
    at,
    message: { id: 'm1', role, content },
  }) satisfies ConsoleEvent;

describe('browser notifications in the console', () => {
  it('announces a new hand-off to every agent, with its reason in words', () => {
    expect(
      notificationFor(
        { type: 'conversation.escalated', conversationId: 'c-new', at, reason: 'customer_request' },
        held,
      ),
    ).toEqual({
      tag: 'handoff:c-new',
      title: 'A customer is waiting for a person',
      body: 'Customer asked for a person',
      conversationId: 'c-new',
    });
  });

  it('announces a customer message only in a conversation the agent holds', () => {
    expect(notificationFor(message('customer', 'c-held'), held)).toEqual({
      tag: 'message:c-held',
      title: 'New message from Wren',
      body: 'Is my parcel lost?',
      conversationId: 'c-held',
    });
    expect(notificationFor(message('customer', 'c-other'), held)).toBeNull();
    for (const role of ['agent', 'ai', 'system']) {
      expect(notificationFor(message(role, 'c-held'), held)).toBeNull();
    }
  });

  it('keeps a long message short, and ignores typing, notes and updates', () => {
    const long = notificationFor(message('customer', 'c-held', 'x'.repeat(500)), held);
    expect(long?.body).toHaveLength(140);
    expect(long?.body.endsWith('…')).toBe(true);
    for (const type of ['typing', 'note.created', 'conversation.updated'] as const) {
      expect(notificationFor({ type, conversationId: 'c-held', at }, held)).toBeNull();
    }
  });
});
