import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const LIFECYCLE = 'lib/conversations/lifecycle.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Each place the text writes a conversation's status or owner: a drizzle
 * `.update(conversations)…set({ status|owner … })` (up to its `.where(`/`.returning(`), or raw
 * SQL `update conversations set … status|owner`.
 */
function findLifecycleWrites(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\.update\(\s*conversations\s*\)/g)) {
    const rest = text.slice(match.index);
    const end = rest.search(/\.(where|returning)\(|;/);
    const statement = end === -1 ? rest : rest.slice(0, end);
    if (/[{,]\s*(status|owner)\s*[:,}]/.test(statement)) found.push(statement.trim());
  }
  for (const match of text.matchAll(
    /update\s+("?conversations"?|\$\{conversations\})\s+set\b[^;`]*?\b(status|owner)\b/gi,
  )) {
    found.push(match[0]);
  }
  return found;
}

describe('the conversation lifecycle', () => {
  it('recognises the writes it guards against', () => {
    expect(
      findLifecycleWrites(
        "await tx.update(conversations).set({ status: 'waiting', owner: 'none' }).where(x)",
      ),
    ).toHaveLength(1);
    expect(
      findLifecycleWrites('tx.update(conversations)\n  .set({ lastMessageAt, status })'),
    ).toHaveLength(1);
    expect(
      findLifecycleWrites("sql`update conversations set owner = 'ai' where id = :id`"),
    ).toHaveLength(1);
    expect(findLifecycleWrites('db.update(conversations).set({ summary: null }).where(x)')).toEqual(
      [],
    );
  });

  it('is the only code that writes conversations.status or conversations.owner', () => {
    const writers = ['lib', 'app']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((path) => relative(ROOT, path).replaceAll('\\', '/'))
      .filter((path) => path !== LIFECYCLE)
      .filter((path) => findLifecycleWrites(readFileSync(join(ROOT, path), 'utf8')).length > 0);
    expect(writers).toEqual([]);
    expect(readFileSync(join(ROOT, LIFECYCLE), 'utf8')).toContain('.update(conversations)');
  });
});
