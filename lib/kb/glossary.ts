import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { readSetting, type SettingDefinition, writeSetting } from '@/lib/settings/settings';

export const glossarySchema = z
  .array(
    z.object({
      zh: z.string().trim().min(1).max(40),
      en: z.string().trim().min(1).max(80),
    }),
  )
  .max(2000);

export type Glossary = z.infer<typeof glossarySchema>;

/** Parses "中文 = english" lines; # starts a comment. Throws naming the first bad line. */
export function parseGlossary(text: string): Glossary {
  const entries: Glossary = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [zh, en, extra] = line.split('=').map((part) => part.trim());
    if (!zh || !en || extra !== undefined) {
      throw new Error(`Line ${i + 1}: write it as "中文 = english".`);
    }
    entries.push({ zh, en });
  }
  return glossarySchema.parse(entries);
}

export const formatGlossary = (glossary: Glossary) =>
  glossary.map((e) => `${e.zh} = ${e.en}`).join('\n');

const DEFAULT_GLOSSARY = parseGlossary(
  readFileSync(path.join(process.cwd(), 'content', 'glossary', 'zh-en.txt'), 'utf8'),
);

const GLOSSARY: SettingDefinition<Glossary> = {
  key: 'settings:glossary',
  schema: glossarySchema,
  fallback: DEFAULT_GLOSSARY,
};

export const getGlossary = (db: Database) => readSetting(db, GLOSSARY);
export const saveGlossary = (db: Database, glossary: Glossary) =>
  writeSetting(db, GLOSSARY, glossary);

/**
 * A Chinese question in English words, as far as the glossary knows them: longest terms first,
 * the rest dropped. Empty when the glossary recognises nothing.
 */
export function glossTranslate(question: string, glossary: Glossary): string {
  const terms = [...glossary].sort((a, b) => b.zh.length - a.zh.length);
  let rest = question;
  const found: { at: number; en: string }[] = [];
  for (const { zh, en } of terms) {
    let at = rest.indexOf(zh);
    while (at !== -1) {
      found.push({ at, en });
      rest = `${rest.slice(0, at)}${' '.repeat(zh.length)}${rest.slice(at + zh.length)}`;
      at = rest.indexOf(zh);
    }
  }
  // Latin words the customer typed (product names, codes) travel along.
  const latin = rest.match(/[A-Za-z0-9][\w.-]*/g) ?? [];
  return [...found.sort((a, b) => a.at - b.at).map((f) => f.en), ...latin].join(' ');
}
