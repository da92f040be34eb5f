import { describe, expect, it } from 'vitest';
import { routeTemplate } from '@/app/api/observed-route';

describe('routeTemplate', () => {
  it('puts param names back in place of their values, so ids never become metric labels', () => {
    expect(routeTemplate('/api/chat', undefined)).toBe('/api/chat');
    expect(routeTemplate('/api/chat', {})).toBe('/api/chat');
    expect(
      routeTemplate('/api/console/conversations/0b6f1c9e-8d0c-4f7a-9d0e-1c2b3a4d5e6f/notes', {
        id: '0b6f1c9e-8d0c-4f7a-9d0e-1c2b3a4d5e6f',
      }),
    ).toBe('/api/console/conversations/[id]/notes');
    expect(
      routeTemplate('/api/v1/customers/shop%20user%2017/conversations', { id: 'shop user 17' }),
    ).toBe('/api/v1/customers/[id]/conversations');
    expect(
      routeTemplate('/api/auth/callback/credentials', { nextauth: ['callback', 'credentials'] }),
    ).toBe('/api/auth/[...nextauth]');
  });
});
