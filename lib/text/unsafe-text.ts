import { type FieldProblem, invalidFields } from '@/lib/errors';

/** U+0000, or a high surrogate not followed by a low one, or a low one not preceded by a high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what it looks for.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper JSON than any request needs; walking (or storing) more only costs the server. */
export const MAX_DEPTH = 64;

/**
 * Why a string cannot be stored as text, or null when it can. PostgreSQL refuses U+0000 in text
 * and jsonb, and a lone UTF-16 surrogate (half of an emoji) has no UTF-8 form at all.
 */
export function unsafeTextReason(text: string): string | null {
  const found = UNSAFE.exec(text);
  if (!found) return null;
  return found[0] === '\u0000'
    ? 'must not contain the NUL character (U+0000)'
    : 'must not contain a lone UTF-16 surrogate (half of a character such as an emoji)';
}

/**
 * Every string in `value` — object keys included, at any depth — that cannot be stored as text,
 * named by its dotted path; and a problem for nesting deeper than MAX_DEPTH. Iterative, so a
 * hostile depth cannot overflow the stack.
 */
export function findUnsafeText(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (pending.length > 0 && problems.length < 20) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) problems.push({ field: path || '(body)', message: reason });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      problems.push({ field: path || '(body)', message: `nests deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current);
    for (const [key, item] of entries) {
      const reason = unsafeTextReason(key);
      if (reason) {
        problems.push({ field: join(path, printable(key)), message: `(key) ${reason}` });
        continue;
      }
      pending.push({ value: item, path: join(path, key), depth: depth + 1 });
    }
  }
  return problems;
}

/** Throws a 400 `bad_request:<surface>` naming each field whose text cannot be stored. */
export function refuseUnsafeText(value: unknown, surface: string, root = ''): void {
  const problems = findUnsafeText(value, root);
  if (problems.length > 0) throw invalidFields(surface, problems);
}

/** A key as it can be shown back: the characters that made it unsafe replaced by U+FFFD. */
function printable(key: string): string {
  return key.replace(new RegExp(UNSAFE.source, 'g'), '\uFFFD');
}
