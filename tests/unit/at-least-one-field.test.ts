import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';

const changes = atLeastOneField(
  z.object({
    title: z.string().optional(),
    enabled: z.boolean().optional(),
    description: z.string().nullable().optional(),
  }),
);

describe('atLeastOneField', () => {
  it('refuses an object that sets nothing, naming the fields one may send', () => {
    for (const empty of [{}, { title: undefined }]) {
      const result = changes.safeParse(empty);
      expect(result.success).toBe(false);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: [],
          message: 'send at least one of title, enabled or description',
        }),
      ]);
    }
  });

  it('takes any one field, null and false included', () => {
    expect(changes.parse({ title: 'x' })).toEqual({ title: 'x' });
    expect(changes.parse({ enabled: false })).toEqual({ enabled: false });
    expect(changes.parse({ description: null })).toEqual({ description: null });
  });

  it('stays an object schema whose fields can be read (the fuzz suite reads them)', () => {
    expect(changes).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(changes.shape)).toEqual(['title', 'enabled', 'description']);
  });
});
