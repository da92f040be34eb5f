import { createHash } from 'node:crypto';
import { generateText } from 'ai';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import { asksForPerson } from '@/lib/classify/person-request';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { retrieveAcrossLanguages } from '@/lib/kb/cross-lingual';
import type { TextEmbedder } from '@/lib/kb/embedding';
import { slugify } from '@/lib/kb/extract';
import { ingestFile } from '@/lib/kb/ingest';
import { getKnowledgeBaseVersion } from '@/lib/kb/queries';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { isCjk, toTerms, wordsOf } from '@/lib/text/terms';
import { truncateText } from '@/lib/text/truncate';
import { AI_RESOLVED, executeWithoutJit } from './outcomes';
import type { DateRange } from './range';

const MAX_GAPS = 3000;
const EXAMPLES = 5;
const LABEL_WORDS = 3;
/**
 * Similarity (half embedding cosine with the shared direction taken out, half TF-IDF cosine of
 * the label words) at which two questions ask the same thing. With the built-in embedding,
 * rewordings of one question measured 0.2–0.9 and different questions mostly below 0.15; at
 * 0.17 unrelated complaints and feature requests began to merge in the demo history.
 */
const SAME_TOPIC = 0.2;
/** Mean similarity to a topic's questions below which a question stays out of it all the same. */
const TOPIC_MEAN = 0.15;
/**
 * Retrieval confidence at which the knowledge base is taken to answer a question well: more
 * likely than not (the confidence is calibrated), and never below the bar the bot answers at.
 */
const WELL_ANSWERED = 0.5;
const ANSWERED_TTL_SECONDS = 24 * 3600;

export interface GapTopic {
  /** Words the customers used, most telling first, in their language. */
  label: string;
  count: number;
  abstained: number;
  escalated: number;
  categories: string[];
  /** Distinct questions, the most typical first. */
  examples: string[];
}

export interface GapInsights {
  topics: GapTopic[];
  /** Recorded gaps left out, by why: none of them is a hole in the knowledge base. */
  excluded: { smallTalk: number; personRequests: number; answeredNow: number };
}

export interface Gap {
  question: string;
  reason: 'abstained' | 'escalated';
  category: string | null;
}

export interface GapFilters {
  /** The desk's own small-talk detector (greetings, thanks, goodbyes): not a question at all. */
  isSmallTalk: (question: string) => boolean;
}

type InsightsContext = Pick<AppContext, 'database' | 'kb' | 'config' | 'model' | 'cache'>;

/**
 * Where the knowledge base fails: the recorded unanswered questions of the range that are still
 * unanswered — not small talk, not a request for a person, not answered well by the knowledge
 * base as it is now — grouped by meaning into topics.
 */
export async function knowledgeGapTopics(
  ctx: InsightsContext,
  range: DateRange,
  filters: GapFilters,
): Promise<GapInsights> {
  const gaps = rowsOf<Gap>(
    await ctx.database.db.execute(sql`select question, reason, category
      from knowledge_gaps
      where created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz
      order by created_at desc limit ${MAX_GAPS}`),
  );
  const excluded = { smallTalk: 0, personRequests: 0, answeredNow: 0 };
  const asked = gaps.filter((gap) => {
    if (filters.isSmallTalk(gap.question)) excluded.smallTalk++;
    else if (asksForPerson(gap.question)) excluded.personRequests++;
    else return true;
    return false;
  });
  const answered = await answeredNow(ctx, [...new Set(asked.map((g) => g.question))]);
  const open = asked.filter((gap) => !answered.has(gap.question));
  excluded.answeredNow = asked.length - open.length;
  return { topics: await clusterQuestions(open, ctx.kb.embedder), excluded };
}

/**
 * The questions the knowledge base answers well today (the retrieval a turn makes, across
 * languages): written up since, or recorded under an older verdict. Each verdict is cached for
 * the knowledge base's version, so a page load re-asks only what changed.
 */
async function answeredNow(ctx: InsightsContext, questions: string[]): Promise<Set<string>> {
  const bar = Math.max(ctx.config.chat.answerMinConfidence, WELL_ANSWERED);
  const version = await getKnowledgeBaseVersion(ctx.database.db);
  const answered = new Set<string>();
  for (const question of questions) {
    const hash = createHash('sha256').update(`${version}\n${bar}\n${question}`);
    const key = `insights:answered:${hash.digest('base64url')}`;
    let verdict = await ctx.cache.get(key);
    if (verdict === null) {
      const { confidence } = await retrieveAcrossLanguages(ctx, question);
      verdict = confidence >= bar ? 'yes' : 'no';
      await ctx.cache.set(key, verdict, { ttlSeconds: ANSWERED_TTL_SECONDS });
    }
    if (verdict === 'yes') answered.add(question);
  }
  return answered;
}

interface Point {
  question: string;
  gaps: Gap[];
  /** The question's embedding with its language's shared direction taken out, unit length. */
  meaning: number[];
  /** Its label words, TF-IDF weighted, unit length. */
  terms: Map<string, number>;
}

interface Topic {
  members: Point[];
  meaning: number[];
  terms: Map<string, number>;
}

/**
 * Groups questions by what they ask, with the evidence retrieval weighs: the embedding it
 * searches with and the terms it matches. In the embedding all questions of a language sit close
 * together ("how do I … my …"), so that shared direction is taken out first. Each distinct
 * question, most asked first, joins a topic (see {@link topicFor}) or starts one.
 */
export async function clusterQuestions(gaps: Gap[], embedder: TextEmbedder): Promise<GapTopic[]> {
  const byQuestion = new Map<string, Gap[]>();
  for (const gap of gaps) {
    const question = gap.question.trim();
    if (question) byQuestion.set(question, [...(byQuestion.get(question) ?? []), gap]);
  }
  const questions = [...byQuestion.keys()].sort(
    (a, b) => byQuestion.get(b)!.length - byQuestion.get(a)!.length || a.localeCompare(b),
  );
  if (questions.length === 0) return [];
  const meanings = centredByScript(questions, await embedder.embedDocuments(questions));
  const terms = tfIdf(questions);
  const points: Point[] = questions.map((question, i) => ({
    question,
    gaps: byQuestion.get(question)!,
    meaning: meanings[i]!,
    terms: terms[i]!,
  }));

  const topics: Topic[] = [];
  for (const point of points) {
    const topic = topicFor(point, topics);
    if (topic) join(topic, point);
    else topics.push(topicOf(point));
  }

  const label = topicLabeller(questions);
  return topics
    .map((topic): GapTopic => {
      const { members } = topic;
      const typical = (p: Point) => likeness(p, topic);
      members.sort(
        (a, b) =>
          b.gaps.length - a.gaps.length ||
          typical(b) - typical(a) ||
          a.question.localeCompare(b.question),
      );
      const all = members.flatMap((m) => m.gaps);
      return {
        label: label(members.map((m) => ({ question: m.question, times: m.gaps.length }))),
        count: all.length,
        abstained: all.filter((g) => g.reason === 'abstained').length,
        escalated: all.filter((g) => g.reason === 'escalated').length,
        categories: [...new Set(all.flatMap((g) => (g.category ? [g.category] : [])))],
        examples: members.slice(0, EXAMPLES).map((m) => m.question),
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

const topicOf = (point: Point): Topic => ({
  members: [point],
  meaning: [...point.meaning],
  terms: new Map(point.terms),
});

function join(topic: Topic, point: Point): Topic {
  topic.members.push(point);
  for (let d = 0; d < point.meaning.length; d++) topic.meaning[d]! += point.meaning[d]!;
  for (const [t, x] of point.terms) topic.terms.set(t, (topic.terms.get(t) ?? 0) + x);
  return topic;
}

/**
 * A question's mean similarity to a topic's other questions. Topics keep the sums of their
 * questions' vectors, so this costs one pass over the vectors.
 */
function likeness(point: Point, topic: Topic): number {
  const self = topic.members.includes(point);
  const others = topic.members.length - (self ? 1 : 0);
  if (others === 0) return Number.NEGATIVE_INFINITY;
  // A question's similarity to itself is 1.
  return (similarity(point, topic) - (self ? 1 : 0)) / others;
}

/**
 * The topic a question belongs to: among those it is close to at least one question of (the
 * wording of one problem drifts, A like B like C), and not far from on average (so a topic does
 * not drift from problem to problem), the one it is most like on average.
 */
function topicFor(point: Point, topics: Topic[]): Topic | null {
  let best: Topic | null = null;
  let score = TOPIC_MEAN;
  for (const topic of topics) {
    const mean = likeness(point, topic);
    if (mean < score) continue;
    if (topic.members.some((member) => similarity(point, member) >= SAME_TOPIC)) {
      best = topic;
      score = mean;
    }
  }
  return best;
}

/** Half meaning (embedding cosine), half shared words (TF-IDF cosine); of sums, the sum of them. */
function similarity(a: Point | Topic, b: Point | Topic): number {
  let meaning = 0;
  for (let d = 0; d < a.meaning.length; d++) meaning += a.meaning[d]! * b.meaning[d]!;
  let terms = 0;
  for (const [t, x] of a.terms) terms += x * (b.terms.get(t) ?? 0);
  return (meaning + terms) / 2;
}

/**
 * Each vector minus what the questions of its script have in common (Chinese apart: it shares no
 * features with the rest). How much of their mean that is comes from the questions themselves:
 * their mean similarity to one another, which with few questions is far less than the mean's
 * own length (it holds each question itself).
 */
function centredByScript(questions: string[], vectors: number[][]): number[][] {
  const script = (q: string) => (wordsOf(q).some(isCjk) ? 'han' : 'other');
  const groups = new Map<string, { sum: number[]; n: number }>();
  questions.forEach((q, i) => {
    const group = groups.get(script(q)) ?? { sum: new Array(vectors[i]!.length).fill(0), n: 0 };
    for (let d = 0; d < group.sum.length; d++) group.sum[d]! += vectors[i]![d]!;
    group.n++;
    groups.set(script(q), group);
  });
  const shares = new Map(
    [...groups].map(([key, { sum, n }]) => {
      const sumSquared = sum.reduce((total, x) => total + x * x, 0);
      if (n < 2 || sumSquared === 0) return [key, 0];
      const meanSimilarity = (sumSquared - n) / (n * (n - 1));
      return [key, Math.min(1, Math.max(0, (meanSimilarity * n * n) / sumSquared)) / n];
    }),
  );
  return vectors.map((vector, i) => {
    const key = script(questions[i]!);
    const { sum } = groups.get(key)!;
    const share = shares.get(key)!;
    return unit(vector.map((x, d) => x - sum[d]! * share));
  });
}

/** Each question's label words (English stems, whole Chinese words), TF-IDF weighted, unit. */
function tfIdf(questions: string[]): Map<string, number>[] {
  const docs = questions.map((q) => labelWords(q).map((w) => w.key));
  const df = new Map<string, number>();
  for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  return docs.map((terms) => {
    const v = new Map<string, number>();
    for (const t of terms) v.set(t, (v.get(t) ?? 0) + Math.log(1 + questions.length / df.get(t)!));
    const norm = Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0)) || 1;
    for (const [t, x] of v) v.set(t, x / norm);
    return v;
  });
}

function unit(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}

/** A word of a question as the label may show it: how it is counted, and how it is written. */
interface LabelWord {
  key: string;
  form: string;
}

/**
 * Labels a topic with the words its questions share and other topics' questions do not (counted
 * by question, weighted by rarity among all the questions), each written as customers most often
 * wrote it: whole words in their language, so "比特币 · 付款" and "cryptocurrency · payment".
 */
function topicLabeller(allQuestions: string[]) {
  const words = new Map(allQuestions.map((q) => [q, labelWords(q)]));
  const questionsWith = new Map<string, number>();
  for (const list of words.values())
    for (const key of new Set(list.map((w) => w.key)))
      questionsWith.set(key, (questionsWith.get(key) ?? 0) + 1);

  return (members: { question: string; times: number }[]): string => {
    const score = new Map<string, number>();
    const forms = new Map<string, Map<string, number>>();
    for (const { question, times } of members) {
      const list = words.get(question)!;
      for (const { key, form } of list) {
        const spelled = forms.get(key) ?? new Map<string, number>();
        spelled.set(form, (spelled.get(form) ?? 0) + times);
        forms.set(key, spelled);
      }
      for (const key of new Set(list.map((w) => w.key))) {
        const rarity = Math.log(1 + allQuestions.length / questionsWith.get(key)!);
        score.set(key, (score.get(key) ?? 0) + times * rarity);
      }
    }
    return [...score]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, LABEL_WORDS)
      .map(
        ([key]) =>
          [...forms.get(key)!].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]![0],
      )
      .join(' · ');
  };
}

const zhWords = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

/**
 * The content words of a question. Latin-script words are counted by stem and shown as written.
 * Chinese is cut into words by the segmenter; a run of single characters it could not place
 * (比|特|币, 槟|城) is a word it does not know, and is joined back; question and function
 * words (怎么, 我的, 吗) and lone characters are no label.
 */
function labelWords(question: string): LabelWord[] {
  const found: LabelWord[] = [];
  for (const word of wordsOf(question)) {
    if (isCjk(word)) continue;
    const [stem] = toTerms(word);
    if (stem) found.push({ key: stem, form: word });
  }
  let run = '';
  const endRun = () => {
    if ([...run].length > 1) found.push({ key: run, form: run });
    run = '';
  };
  for (const { segment, isWordLike } of zhWords.segment(question.normalize('NFKC'))) {
    if (!isWordLike || !HAN.test(segment)) {
      endRun();
      continue;
    }
    if ([...segment].length === 1 && !ZH_FUNCTION_WORDS.has(segment)) {
      run += segment;
      continue;
    }
    endRun();
    if (!ZH_FUNCTION_WORDS.has(segment)) found.push({ key: segment, form: segment });
  }
  endRun();
  return found;
}

// Words that ask or join rather than name a topic; single characters here also end a run of
// unknown characters ("用" in 用|比|特|币).
const ZH_FUNCTION_WORDS = new Set(
  (
    '怎么 怎样 怎么样 如何 什么 为什么 什么时候 哪里 哪儿 哪个 哪些 多久 多少 几 吗 呢 吧 啊 呀 ' +
    '了 的 地 得 着 过 我 我的 我们 你 你的 你们 您 您的 他 她 它 他们 这 那 这个 那个 这里 那里 ' +
    '是 有 没有 在 和 与 及 或 就 都 也 还 又 很 可以 能 能不能 可不可以 会 要 想 需要 请 一下 ' +
    '一个 还是 不 没 没人 都没 已经 现在 用 到 给 把 被 让 跟 对 从 太 该 一直 为 些 个 下 上 里 ' +
    '中 款 件 次 位 种 请问 麻烦 一些'
  ).split(' '),
);

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
