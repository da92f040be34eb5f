import { createHash } from 'node:crypto';
import { asc, like } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { appSettings, classifierExamples, type DeskContentVersion, kbDocuments } from '@/db/schema';

/** The app_settings rows that are the desk's settings, as opposed to an instance's own state. */
export const DESK_SETTINGS_PREFIX = 'settings:';

/**
 * Fingerprints of what a desk answers from: its documents (text and filing), its settings, and
 * its classifiers' labelled examples (the trained models follow from them). Two runs with equal fingerprints ran on the same
 * content; a run page can say which of them changed.
 */
export async function readDeskVersion(
  db: Database,
  source: DeskContentVersion['source'],
): Promise<DeskContentVersion> {
  const [documents, settings, examples] = await Promise.all([
    db
      .select({
        slug: kbDocuments.slug,
        contentHash: kbDocuments.contentHash,
        title: kbDocuments.title,
        category: kbDocuments.category,
        language: kbDocuments.language,
        summary: kbDocuments.summary,
      })
      .from(kbDocuments)
      .orderBy(asc(kbDocuments.slug)),
    db
      .select({ key: appSettings.key, value: appSettings.value })
      .from(appSettings)
      .where(like(appSettings.key, `${DESK_SETTINGS_PREFIX}%`))
      .orderBy(asc(appSettings.key)),
    db
      .select({
        kind: classifierExamples.kind,
        label: classifierExamples.label,
        text: classifierExamples.text,
      })
      .from(classifierExamples)
      .orderBy(
        asc(classifierExamples.kind),
        asc(classifierExamples.label),
        asc(classifierExamples.text),
      ),
  ]);
  return {
    source,
    documents: documents.length,
    kb: fingerprint(documents),
    settings: fingerprint(settings),
    classifier: fingerprint(examples),
  };
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}
