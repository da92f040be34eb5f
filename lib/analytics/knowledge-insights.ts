import { generateText } from 'ai';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { slugify } from '@/lib/kb/extract';
import { ingestFile } from '@/lib/kb/ingest';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { isCjk, toTerms, wordsOf } from '@/lib/text/terms';
import { truncateText } from '@/lib/text/truncate';
import { averageVector } from '@/lib/text/word-vectors';
import { AI_RESOLVED, executeWithoutJit } from './outcomes';
import type { DateRange } from './range';

const MAX_GAPS = 3000;
const SAME_TOPIC = 0.34;
const EXAMPLES = 5;

export interface GapTopic {
  /** The terms that define the topic, most telling first. */
  label: string;
  count: number;
  abstained: number;
  escalated: number;
  categories: string[];
  /** Distinct questions, the most typical first. */
  examples: string[];
}

interface Gap {
  question: string;
  reason: 'abstained' | 'escalated';
  category: string | null;
}

/**
 * The questions the bot could not answer, grouped into topics: TF-IDF vectors of their content
 * terms, joined greedily to the nearest topic above a cosine threshold. Small and explainable —
 * admins read the label and the examples, not a score.
 */
export async function knowledgeGapTopics(db: Database, range: DateRange): Promise<GapTopic[]> {
  const gaps = rowsOf<Gap>(
    await db.execute(sql`select question, reason, category from knowledge_gaps
      where created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz
      order by created_at desc limit ${MAX_GAPS}`),
  );
  return clusterQuestions(gaps);
}

export function clusterQuestions(gaps: Gap[]): GapTopic[] {
  const docs = gaps.map((g) => toTerms(g.question));
  const df = new Map<string, number>();
  for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const points = gaps.map((g, i) => {
    const v = new Map<string, number>();
    for (const t of docs[i]!) v.set(t, (v.get(t) ?? 0) + Math.log(1 + gaps.length / df.get(t)!));
    normalize(v);
    // Word vectors catch what shared terms miss: "pay" and "payment", "bitcoin" and "crypto".
    const meaning = averageVector(wordsOf(g.question).filter((w) => toTerms(w).length > 0));
    return { terms: v, meaning };
  });

  const topics: { terms: Map<string, number>; meaning: Float32Array | null; members: number[] }[] =
    [];
  for (const [i, point] of points.entries()) {
    if (point.terms.size === 0) continue;
    let best = -1;
    let bestScore = SAME_TOPIC;
    for (const [k, topic] of topics.entries()) {
      const score = similarity(point, topic);
      if (score >= bestScore) {
        best = k;
        bestScore = score;
      }
    }
    if (best === -1) {
      topics.push({
        terms: new Map(point.terms),
        meaning: point.meaning && Float32Array.from(point.meaning),
        members: [i],
      });
      continue;
    }
    const topic = topics[best]!;
    topic.members.push(i);
    for (const [t, x] of point.terms) topic.terms.set(t, (topic.terms.get(t) ?? 0) + x);
    normalize(topic.terms);
    if (point.meaning) {
      topic.meaning ??= new Float32Array(point.meaning.length);
      for (let d = 0; d < point.meaning.length; d++) topic.meaning[d]! += point.meaning[d]!;
      const norm = Math.hypot(...topic.meaning) || 1;
      for (let d = 0; d < topic.meaning.length; d++) topic.meaning[d]! /= norm;
    }
  }

  const spelling = commonSpellings(gaps.map((g) => g.question));
  return topics
    .map((topic) => {
      const members = topic.members.map((i) => ({
        gap: gaps[i]!,
        score: similarity(points[i]!, topic),
      }));
      members.sort((a, b) => b.score - a.score);
      const label = [...topic.terms]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([t]) => spelling.get(t) ?? t)
        .join(' · ');
      return {
        label,
        count: members.length,
        abstained: members.filter((m) => m.gap.reason === 'abstained').length,
        escalated: members.filter((m) => m.gap.reason === 'escalated').length,
        categories: [...new Set(members.flatMap((m) => (m.gap.category ? [m.gap.category] : [])))],
        examples: [...new Set(members.map((m) => m.gap.question.trim()))].slice(0, EXAMPLES),
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/**
 * Each search term's commonest written form in the questions, so that a topic reads "cryptocurrency
 * · payment" rather than the stems "cryptocurr · payment".
 */
function commonSpellings(questions: string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const question of questions) {
    // Chinese terms are character pairs already written as the customer wrote them.
    for (const word of wordsOf(question).filter((w) => !isCjk(w))) {
      for (const term of toTerms(word)) {
        const forms = counts.get(term) ?? new Map<string, number>();
        forms.set(word, (forms.get(word) ?? 0) + 1);
        counts.set(term, forms);
      }
    }
  }
  return new Map(
    [...counts].map(([term, forms]) => [
      term,
      [...forms].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]![0],
    ]),
  );
}

/** Half shared terms (TF-IDF cosine), half meaning (word-vector cosine) when both have one. */
function similarity(
  a: { terms: Map<string, number>; meaning: Float32Array | null },
  b: { terms: Map<string, number>; meaning: Float32Array | null },
): number {
  const lexical = cosine(a.terms, b.terms);
  if (!a.meaning || !b.meaning) return lexical;
  let dot = 0;
  for (let d = 0; d < a.meaning.length; d++) dot += a.meaning[d]! * b.meaning[d]!;
  return (lexical + dot) / 2;
}

function normalize(v: Map<string, number>) {
  const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
  for (const [t, x] of v) v.set(t, x / norm);
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [t, x] of small) dot += x * (large.get(t) ?? 0);
  return dot;
}

/**
 * A first draft of the missing article: with a configured model, written from the questions and
 * marked for review; offline, the questions arranged as the outline an admin completes.
 */
export async function draftArticle(
  ctx: Pick<AppContext, 'config' | 'model'>,
  topic: Pick<GapTopic, 'label' | 'examples' | 'categories'>,
) {
  const title = titleFrom(topic.examples[0] ?? topic.label);
  const category = topic.categories[0];
  const front = [
    '---',
    `title: ${JSON.stringify(title)}`,
    ...(category ? [`category: ${category}`] : []),
    '---',
    '',
  ];
  const asked = topic.examples.map((q) => `- ${q}`).join('\n');
  if (ctx.config.model.provider === 'openai') {
    const { text } = await generateText({
      model: ctx.model,
      instructions:
        'You draft help-center articles for a support team. Write Markdown with short sections that answer the customer questions given. Where you would need facts you do not have (prices, dates, steps specific to this company), write them as [CHECK: what to confirm] so an editor fills them in. Do not invent policies.',
      prompt: `Customers asked:\n${asked}`,
      telemetry: aiTelemetry(ctx.config, 'draft_article'),
    });
    return `${front.join('\n')}# ${title}\n\n${text.trim()}\n`;
  }
  return `${front.join('\n')}# ${title}\n\n${EDITOR_NOTE}\n\nCustomers asked our assistant:\n\n${asked}\n\n## Answer\n`;
}

/** Left in an offline draft for the editor; publishing refuses a draft that still has it. */
export const EDITOR_NOTE =
  '<!-- Draft from unanswered questions: write the answer under "Answer", then delete this note and publish. -->';

function titleFrom(question: string): string {
  const clean = question
    .replace(/\s+/g, ' ')
    .replace(/[?？!！.。]+$/u, '')
    .trim();
  return clean.length > 80
    ? truncateText(clean, 78)
    : clean.charAt(0).toUpperCase() + clean.slice(1);
}

export interface ArticleUsefulness {
  id: string;
  slug: string;
  title: string;
  citations: number;
  conversations: number;
  aiResolved: number;
  escalated: number;
  helpful: number;
  notHelpful: number;
}

/** Per article: how often answers cited it, and how those conversations ended. */
export async function articleUsefulness(
  db: Database,
  range: DateRange,
): Promise<ArticleUsefulness[]> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  // Each cited conversation's outcome is worked out once, not once per citation.
  const rows = await executeWithoutJit(
    db,
    sql`with cited as materialized (
        select c.id, c.escalated_at, ${AI_RESOLVED} as ai_resolved from conversations c
        where c.id in (select conversation_id from message_citations
          where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz))
      select d.id, d.slug, d.title,
        count(mc.message_id)::int as citations,
        count(distinct mc.conversation_id)::int as conversations,
        count(distinct mc.conversation_id) filter (where c.ai_resolved)::int as ai_resolved,
        count(distinct mc.conversation_id) filter (where c.escalated_at is not null)::int as escalated,
        count(f.message_id) filter (where f.helpful)::int as helpful,
        count(f.message_id) filter (where not f.helpful)::int as not_helpful
      from kb_documents d
      left join message_citations mc on mc.document_id = d.id
        and mc.created_at >= ${from}::timestamptz and mc.created_at < ${to}::timestamptz
      left join cited c on c.id = mc.conversation_id
      left join message_feedback f on f.message_id = mc.message_id
      group by d.id, d.slug, d.title
      order by citations desc, d.title`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    slug: String(r.slug),
    title: String(r.title),
    citations: Number(r.citations),
    conversations: Number(r.conversations),
    aiResolved: Number(r.ai_resolved),
    escalated: Number(r.escalated),
    helpful: Number(r.helpful),
    notHelpful: Number(r.not_helpful),
  }));
}

/** Publishes a finished draft as a knowledge-base article; an unfinished one is refused. */
export async function publishDraftArticle(ctx: Pick<AppContext, 'kb'>, markdown: string) {
  if (markdown.includes(EDITOR_NOTE) || /\[CHECK:/i.test(markdown)) {
    throw new TandemError(
      'bad_request:article',
      'Finish the draft first: answer the questions and remove the editor note and every [CHECK: …] marker.',
    );
  }
  const title = /^title:\s*"?(.+?)"?\s*$/m.exec(markdown)?.[1] ?? /^#\s+(.+)$/m.exec(markdown)?.[1];
  if (!title)
    throw new TandemError('bad_request:article', 'The article needs a title (a "# Heading" line).');
  const { document } = await ingestFile(ctx.kb, {
    filename: `${slugify(title)}.md`,
    mediaType: 'text/markdown',
    bytes: new TextEncoder().encode(markdown),
  });
  return document;
}
