import type { z } from 'zod';

/**
 * The object schema, refusing an object that sets none of its fields: a change that changes
 * nothing is a mistake the caller should hear about (and "set nothing" is no valid UPDATE). The
 * message names the fields one may send. Left a `ZodObject`, so its shape stays readable.
 */
export function atLeastOneField<T extends z.ZodObject>(schema: T): T {
  const names = Object.keys(schema.shape);
  return schema.refine(
    (value) => names.some((name) => (value as Record<string, unknown>)[name] !== undefined),
    { error: `send at least one of ${listOf(names)}` },
  ) as T;
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
