import { z } from 'zod';
import type { Citation, DeskTestFailure, ToolActivity } from '@/db/schema';
import { abstentionReply } from '@/lib/ai/prompts';
import { findTool } from '@/lib/ai/tools';
import { detectLanguage } from '@/lib/classify/language';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { type Expectation, factPattern } from './case';

/** What the desk did with one customer message, as a test sees it. */
export interface TurnRecord {
  /** The turn's plan: answer, hand_off, small_talk, decline, stay_silent or procedure. */
  plan: string;
  /** Where the conversation's procedure stood after the turn, when the turn touched one. */
  procedure?: { name: string; status: string } | null;
  /** What the customer was told; null when the AI stayed silent (a person holds the chat). */
  reply: string | null;
  citations: Pick<Citation, 'slug' | 'title' | 'section'>[];
  tools: ToolActivity[];
  /** Every hand-off to a person during the turn, by reason (the plan's or a tool's). */
  handOffs: EscalationReason[];
  /** The answer had nothing to ground it: no citation, no tool. */
  abstained: boolean;
}

/** The reply an expectation is checked on: the last thing the AI said, and what it cited. */
export function lastReply(turns: readonly TurnRecord[]) {
  const turn = turns.findLast((t) => t.reply !== null);
  return {
    reply: turn?.reply ?? '',
    citations: turn?.citations ?? [],
    abstained: turn?.abstained ?? false,
  };
}

/**
 * How the turns fell short of the expectation; empty when they met it. The kind decides the
 * outcome (answered, declined, handed off, used a tool, made small talk); the article, tool,
 * facts, forbidden patterns and language are checked whenever the case gives them.
 */
export function checkExpectation(
  expect: Expectation,
  turns: readonly TurnRecord[],
): DeskTestFailure[] {
  const last = lastReply(turns);
  const handOffs = turns.flatMap((t) => t.handOffs);
  const tools = turns.flatMap((t) => t.tools);
  const plan = turns.at(-1)?.plan ?? 'none';
  const declined = last.abstained || isAbstention(last.reply);
  const failures: DeskTestFailure[] = [];
  const fail = (code: string, message: string) => failures.push({ code, message });

  switch (expect.kind) {
    case 'answer':
      if (handOffs.length > 0)
        fail('escalated', `handed off (${handOffs[0]}) instead of answering`);
      else if (declined) fail('abstained', 'declined instead of answering');
      else if (plan !== 'answer')
        fail('not_answered', `${describePlan(plan)} instead of an answer`);
      break;
    case 'abstain':
      if (handOffs.length > 0)
        fail('escalated', `handed off (${handOffs[0]}) instead of declining`);
      else if (!declined) {
        fail(
          'answered',
          plan === 'answer'
            ? `answered instead of declining (${citedList(last.citations)})`
            : `${describePlan(plan)} instead of declining`,
        );
      }
      break;
    case 'escalate':
      if (handOffs.length === 0)
        fail('no_escalation', `no hand-off to a person (${describePlan(plan)})`);
      else if (expect.reason && !handOffs.includes(expect.reason)) {
        fail('wrong_reason', `handed off for ${handOffs.join(', ')}, expected ${expect.reason}`);
      }
      break;
    case 'smalltalk':
      if (plan !== 'small_talk')
        fail('not_small_talk', `${describePlan(plan)} instead of small talk`);
      break;
    case 'procedure': {
      // Which procedure ran, and how it stood at the end (it may end on a turn that answers).
      const ran = turns.filter((t) => t.plan === 'procedure');
      const last = turns.findLast((t) => t.procedure)?.procedure ?? null;
      if (ran.length === 0 || !last) {
        fail('not_procedure', `${describePlan(plan)}; no procedure ran`);
      } else if (expect.procedure && last.name !== expect.procedure.name) {
        fail('wrong_procedure', `ran ${last.name}, expected ${expect.procedure.name}`);
      } else if (expect.procedure?.status && last.status !== expect.procedure.status) {
        fail(
          'procedure_outcome',
          `${last.name} ${describeOutcome(last.status)}, expected it ${describeOutcome(expect.procedure.status)}`,
        );
      }
      break;
    }
    case 'tool':
      // The tool itself is checked below, as for any case that names one.
      break;
  }

  if (expect.article && !last.citations.some((c) => c.slug === expect.article)) {
    fail('missing_citation', `did not cite ${expect.article} (${citedList(last.citations)})`);
  }
  if (expect.tool) {
    const { name, args } = expect.tool;
    const calls = tools.filter((t) => t.tool === name);
    if (calls.length === 0) {
      const used = [...new Set(tools.map((t) => t.tool))];
      fail(
        'tool_not_called',
        `${name} was not called (${used.length ? `called ${used.join(', ')}` : 'no tool called'})`,
      );
    } else if (!calls.some((call) => matchesToolArgs(name, args, call.input))) {
      fail(
        'tool_args',
        `${name} was called with ${JSON.stringify(calls[0]!.input)}, expected at least ${JSON.stringify(args)}`,
      );
    }
  }
  for (const source of expect.facts) {
    if (!factPattern(source).test(last.reply)) fail('missing_fact', `the reply lacks /${source}/`);
  }
  for (const source of expect.forbid) {
    const found = factPattern(source).exec(last.reply);
    if (found) fail('forbidden', `the reply says "${found[0]}" (/${source}/)`);
  }
  if (expect.language) {
    const language = detectLanguage(last.reply).code;
    if (language !== expect.language) {
      fail('wrong_language', `the reply is in ${language}, expected ${expect.language}`);
    }
  }
  return failures;
}

/**
 * Whether a tool call's recorded input holds the arguments a case expects. The AI SDK records
 * the input after the tool's input schema has transformed it (the ticket tools turn "TKT-1002"
 * into 1002), while a case is written as a customer would say it; so each expected argument is
 * also read through the tool's schema, and either form may match.
 */
export function matchesToolArgs(
  toolName: string,
  expected: Record<string, unknown>,
  actual: unknown,
): boolean {
  return (
    matchesSubset(expected, actual) || matchesSubset(parsedToolArgs(toolName, expected), actual)
  );
}

/** Each argument as the tool's input schema reads it; as written where it does not parse. */
function parsedToolArgs(toolName: string, args: Record<string, unknown>): Record<string, unknown> {
  const schema = findTool(toolName)?.inputSchema;
  if (!(schema instanceof z.ZodObject)) return args;
  const fields = schema.shape as Record<string, z.ZodType>;
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => {
      const parsed = fields[key]?.safeParse(value);
      return [key, parsed?.success ? parsed.data : value];
    }),
  );
}

/**
 * Whether `actual` holds everything `expected` does: objects by key (extra keys allowed), arrays
 * by each expected item matching some actual one, strings ignoring case and surrounding space.
 */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') {
    return (
      typeof actual === 'string' && expected.trim().toLowerCase() === actual.trim().toLowerCase()
    );
  }
  if (expected === null || typeof expected !== 'object') return Object.is(expected, actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => matchesSubset(e, a)));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, value]) => matchesSubset(value, record[key]));
}

/** The desk's own honest "I don't know", whatever grounded (or did not ground) it. */
function isAbstention(reply: string): boolean {
  const language = detectLanguage(reply).code;
  return [abstentionReply(language), abstentionReply('en')].some((text) => reply.includes(text));
}

const PLAN_DESCRIPTIONS: Record<string, string> = {
  answer: 'answered',
  hand_off: 'handed off',
  small_talk: 'made small talk',
  stay_silent: 'stayed silent',
  procedure: 'ran a procedure step',
};

const OUTCOME_DESCRIPTIONS: Record<string, string> = {
  completed: 'completed',
  handed_off: 'handed off',
  left: 'was left',
  active: 'still in progress',
};
const describeOutcome = (status: string) => OUTCOME_DESCRIPTIONS[status] ?? status;

const describePlan = (plan: string) => PLAN_DESCRIPTIONS[plan] ?? `planned ${plan}`;

const citedList = (citations: readonly { slug: string }[]) =>
  citations.length ? `cited ${citations.map((c) => c.slug).join(', ')}` : 'cited nothing';
