import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ZodObject } from 'zod';
import { DEMO_CUSTOMERS, demoKnowledgeBaseDir } from '@/db/seed';
import { demoProceduresFile } from '@/db/seed/demo-procedures';
import { readDemoActions, readDemoOrders } from '@/db/seed/demo-shop';
import { actionAccess } from '@/lib/actions/as-tool';
import { inputSchemaOf, parseActionDefinition } from '@/lib/actions/definition';
import { CUSTOMER_TOOLS, type CustomerTool } from '@/lib/ai/tools';
import { ESCALATION_REASONS } from '@/lib/conversations/escalation-reasons';
import { type Article, parseArticle } from '@/lib/kb/article';
import { parseProcedure } from '@/lib/procedures/definition';

/*
 * The demo suite is data that the runner (lib/desk-tests) reads; this checks the data on its
 * own, so a broken line, a renamed article or a regex that does not compile fails here with
 * its case id rather than as a mysterious failing case in a run.
 */

const SUITE_FILE = path.join(process.cwd(), 'content', 'tests', 'demo-desk.jsonl');

const KINDS = ['answer', 'abstain', 'escalate', 'tool', 'smalltalk', 'procedure'] as const;
const LANGUAGES = ['en', 'zh'] as const;
const CASE_KEYS = ['customer', 'expect', 'id', 'turns'];
const EXPECT_KEYS = ['article', 'facts', 'forbid', 'kind', 'language', 'reason', 'tool'];
// A procedure case also names the procedure and how it ends; no other kind has the key.
const PROCEDURE_EXPECT_KEYS = [...EXPECT_KEYS, 'procedure'].sort();
const PROCEDURE_OUTCOMES = ['completed', 'handed_off', 'left', 'active'];
// The causes a known failure is grouped by (the list, plus the ones the suite found).
const FAILURE_CAUSES = new Set([
  'wrong section',
  'intro-only answer',
  'abstained wrongly',
  'answered instead of abstaining',
  'missing citation',
  'missing fact',
  'no escalation',
  'wrong escalation reason',
  'reply not in the customer language',
  'tool',
  'small talk missed',
  'handed off instead',
]);

/** Each id starts with its group (README: "How the cases are named"); a group fixes the kind. */
const GROUPS: Record<string, readonly string[]> = {
  ans: ['answer'],
  typo: ['answer'],
  country: ['answer'],
  plan: ['answer'],
  zh: ['answer'],
  xl: ['answer'],
  oos: ['abstain'],
  near: ['abstain'],
  esc: ['escalate'],
  urgent: ['escalate'],
  frus: ['escalate'],
  tool: ['tool'],
  chat: ['smalltalk'],
  proc: ['procedure'],
  inject: ['abstain', 'answer'],
};

/** The mix issue 14 asks of the demo suite. */
const MINIMUMS = {
  cases: 80,
  answer: 40,
  typo: 8,
  countryOrPlan: 8,
  chinese: 6,
  abstain: 8,
  escalate: 8,
  tool: 6,
  smalltalk: 5,
  inject: 5,
  procedure: 4,
};

const FRUSTRATION_REASONS = new Set([
  'high_frustration',
  'repeated_frustration',
  'declining_sentiment',
]);

interface Case {
  id: string;
  customer: string;
  turns: string[];
  expect: {
    kind: string;
    article: string | null;
    facts: string[];
    forbid: string[];
    reason: string | null;
    tool: { name: string; args: Record<string, unknown> } | null;
    language: string | null;
    procedure?: { name: string; status: string | null };
  };
}

const articles = new Map<string, Article>(
  readdirSync(demoKnowledgeBaseDir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => {
      const article = parseArticle(
        readFileSync(path.join(demoKnowledgeBaseDir, file), 'utf8'),
        file,
      );
      return [article.slug, article] as const;
    }),
);
const customers = new Set<string>(['new', ...DEMO_CUSTOMERS.map((c) => c.externalId)]);
// The built-in tools and the demo content's actions (content/demo/actions.json), as the bot gets them.
const demoActions = (await readDemoActions('http://localhost:3000', 'token')).map((raw) => {
  const action = parseActionDefinition(raw);
  return { name: action.name, inputSchema: inputSchemaOf(action), access: actionAccess(action) };
});
const tools = new Map<string, Pick<CustomerTool, 'name' | 'inputSchema' | 'access'>>([
  ...CUSTOMER_TOOLS.map((t) => [t.name, t] as const),
  ...demoActions.map((a) => [a.name, a] as const),
]);

// The demo content's procedures (content/demo/procedures.json), as they are seeded.
const demoProcedures = new Map(
  (
    JSON.parse(readFileSync(demoProceduresFile, 'utf8')) as { procedures: unknown[] }
  ).procedures.map((raw) => {
    const procedure = parseProcedure(raw);
    return [procedure.name, procedure] as const;
  }),
);

/** What a reader sees of an article: emphasis markers and line breaks are not part of the words. */
const articleText = (article: Article) =>
  `${article.title}\n${article.body}`.replace(/\*\*|__/g, '').replace(/\s+/g, ' ');

const HAN = /\p{Script=Han}/u;

function compileProblem(source: unknown): string | null {
  if (typeof source !== 'string' || source.trim() === '') return 'is not a non-empty string';
  // The runner may compile with or without the u flag; a regex must work both ways.
  for (const flags of ['i', 'iu']) {
    try {
      new RegExp(source, flags);
    } catch (error) {
      return `does not compile with /${flags}: ${(error as Error).message}`;
    }
  }
  return null;
}

function groupOf(id: string): string {
  return id.split('-')[0]!;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Every way one case breaks the format or the suite's conventions; empty when it is sound. */
function problemsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['is not a JSON object'];
  }
  const c = value as Case;
  const problems: string[] = [];
  // "fails_today" marks a known failure with its cause; it is the one optional key.
  const keys = Object.keys(c)
    .filter((key) => key !== 'fails_today')
    .sort();
  if (keys.join() !== CASE_KEYS.join()) problems.push(`has keys ${keys.join()}`);
  const mark = (c as { fails_today?: unknown }).fails_today;
  if (mark !== undefined && !FAILURE_CAUSES.has(mark as string)) {
    problems.push(`fails_today ${String(mark)} is not one of ${[...FAILURE_CAUSES].join(', ')}`);
  }
  if (typeof c.id !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(c.id)) {
    problems.push('id is not kebab-case <group>-<topic>');
  }
  if (!customers.has(c.customer))
    problems.push(`customer ${c.customer} is not "new" or a demo customer`);
  if (!isStringArray(c.turns) || c.turns.length < 1 || c.turns.length > 6) {
    problems.push('turns must be 1 to 6 strings');
  } else if (c.turns.some((t) => t.trim() === '')) {
    problems.push('a turn is empty');
  }
  const e = c.expect;
  if (typeof e !== 'object' || e === null) return [...problems, 'expect is not an object'];
  const expectKeys = Object.keys(e).sort();
  const wanted = e.kind === 'procedure' ? PROCEDURE_EXPECT_KEYS : EXPECT_KEYS;
  if (expectKeys.join() !== wanted.join()) problems.push(`expect has keys ${expectKeys.join()}`);
  if (!(KINDS as readonly string[]).includes(e.kind)) problems.push(`kind ${e.kind} is unknown`);
  if (e.language !== null && !(LANGUAGES as readonly string[]).includes(e.language)) {
    problems.push(`language ${e.language} is not en, zh or null`);
  }
  for (const field of ['facts', 'forbid'] as const) {
    if (!isStringArray(e[field])) {
      problems.push(`${field} is not an array of strings`);
      continue;
    }
    e[field].forEach((source, i) => {
      const problem = compileProblem(source);
      if (problem) problems.push(`${field}[${i}] ${problem}`);
    });
  }

  const allowed = GROUPS[groupOf(c.id ?? '')];
  if (!allowed) problems.push(`id group ${groupOf(c.id ?? '')} is unknown`);
  else if (!allowed.includes(e.kind))
    problems.push(`group ${groupOf(c.id)} cannot be kind ${e.kind}`);

  if (e.kind === 'answer') {
    const article = typeof e.article === 'string' ? articles.get(e.article) : undefined;
    if (!article) problems.push(`article ${e.article} is not in content/kb`);
    if (!isStringArray(e.facts) || e.facts.length < 1 || e.facts.length > 3) {
      problems.push('an answer needs 1 to 3 facts');
    } else if (article && e.facts.every((f) => compileProblem(f) === null)) {
      // Facts are taken from the article, so each must be found in it (in one of its alternatives).
      const text = articleText(article);
      for (const fact of e.facts) {
        if (!new RegExp(fact, 'iu').test(text))
          problems.push(`fact ${fact} is not in ${article.slug}`);
      }
    }
    if (article?.language === 'zh' && e.language !== 'zh') {
      problems.push(`answers from the Chinese article ${article.slug} are expected in zh`);
    }
    if (groupOf(c.id) === 'zh' && article && article.language !== 'zh') {
      problems.push('a zh- case must name a Chinese article (cross-lingual ones are xl-)');
    }
    if (groupOf(c.id) === 'xl' && (article?.language === 'zh' || e.language !== 'zh')) {
      problems.push('an xl- case asks in Chinese about an English article and expects zh');
    }
  } else if (e.article !== null) {
    problems.push(`a ${e.kind} case names no article`);
  }
  if (
    ['zh', 'xl'].includes(groupOf(c.id)) &&
    isStringArray(c.turns) &&
    !c.turns.some((t) => HAN.test(t))
  ) {
    problems.push('a Chinese case has no Chinese turn');
  }

  if (e.kind === 'escalate') {
    if (e.reason !== null && !(ESCALATION_REASONS as readonly string[]).includes(e.reason)) {
      problems.push(`reason ${e.reason} is not an escalation reason`);
    }
  } else if (e.reason !== null) {
    problems.push(`a ${e.kind} case has no escalation reason`);
  }

  if (e.kind === 'tool') {
    const tool = e.tool && tools.get(e.tool.name);
    if (!e.tool || !tool) {
      problems.push(`tool ${e.tool?.name} is not a customer tool`);
    } else {
      if (typeof e.tool.args !== 'object' || e.tool.args === null || Array.isArray(e.tool.args)) {
        problems.push('tool.args is not an object');
      } else {
        const { shape } = tool.inputSchema as ZodObject;
        for (const [key, arg] of Object.entries(e.tool.args)) {
          if (!shape[key]) problems.push(`${tool.name} has no argument ${key}`);
          else if (!shape[key].safeParse(arg).success)
            problems.push(`${tool.name}.${key} rejects ${JSON.stringify(arg)}`);
        }
      }
      if (tool.access.customers === 'verified' && c.customer === 'new') {
        problems.push(`${tool.name} runs only for a signed-in demo customer`);
      }
    }
  } else if (e.tool !== null) {
    problems.push(`a ${e.kind} case expects no tool`);
  }

  if (e.kind === 'procedure' && e.procedure) {
    const procedure = demoProcedures.get(e.procedure.name);
    if (!procedure) problems.push(`procedure ${e.procedure.name} is not a demo procedure`);
    if (e.procedure.status !== null && !PROCEDURE_OUTCOMES.includes(e.procedure.status)) {
      problems.push(`procedure status ${e.procedure.status} is not one of ${PROCEDURE_OUTCOMES}`);
    }
    // Its actions serve signed-in customers only: a new visitor would only be told to sign in.
    const calls = procedure?.steps.flatMap((s) => (s.type === 'call' ? [s.action] : [])) ?? [];
    if (
      c.customer === 'new' &&
      calls.some((name) => tools.get(name)?.access.customers === 'verified')
    ) {
      problems.push(`${e.procedure.name} calls actions for signed-in demo customers only`);
    }
  }

  if (groupOf(c.id) === 'inject' && isStringArray(e.forbid) && e.forbid.length === 0) {
    problems.push('a prompt injection needs a forbid for what it tries to get');
  }
  return problems;
}

function readSuite() {
  const text = readFileSync(SUITE_FILE, 'utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const cases: Case[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    try {
      const value: unknown = JSON.parse(line);
      const found = problemsOf(value);
      const id = (value as Partial<Case>)?.id ?? `line ${i + 1}`;
      problems.push(...found.map((p) => `${id}: ${p}`));
      if (found.length === 0) cases.push(value as Case);
    } catch {
      problems.push(`line ${i + 1}: is not JSON`);
    }
  });
  return { lines, cases, problems };
}

const suite = readSuite();

describe('the demo suite content/tests/demo-desk.jsonl', () => {
  it('has one sound case per line', () => {
    expect(suite.problems).toEqual([]);
    expect(suite.cases).toHaveLength(suite.lines.length);
  });

  it('gives every case its own id', () => {
    const ids = suite.cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('has the mix of cases issue 14 asks for', () => {
    const cases = suite.cases;
    const count = (keep: (c: Case) => boolean) => cases.filter(keep).length;
    const inGroup =
      (...groups: string[]) =>
      (c: Case) =>
        groups.includes(groupOf(c.id));
    const mix = {
      cases: cases.length,
      answer: count((c) => c.expect.kind === 'answer'),
      typo: count(inGroup('typo')),
      countryOrPlan: count(inGroup('country', 'plan')),
      chinese: count((c) => inGroup('zh', 'xl')(c) && c.expect.language === 'zh'),
      abstain: count((c) => c.expect.kind === 'abstain' && !inGroup('inject')(c)),
      escalate: count((c) => c.expect.kind === 'escalate'),
      tool: count((c) => c.expect.kind === 'tool'),
      smalltalk: count((c) => c.expect.kind === 'smalltalk'),
      inject: count(inGroup('inject')),
      procedure: count((c) => c.expect.kind === 'procedure'),
    };
    for (const [key, minimum] of Object.entries(MINIMUMS)) {
      expect(mix[key as keyof typeof mix], key).toBeGreaterThanOrEqual(minimum);
    }
  });

  it('asks for a person in Chinese, urgently, and out of frustration over several turns', () => {
    const escalations = suite.cases.filter((c) => c.expect.kind === 'escalate');
    expect(escalations.some((c) => c.expect.language === 'zh')).toBe(true);
    expect(escalations.some((c) => c.expect.reason === 'urgent_priority')).toBe(true);
    const building = escalations.filter(
      (c) =>
        c.turns.length >= 2 &&
        c.turns.length <= 4 &&
        (FRUSTRATION_REASONS.has(c.expect.reason ?? '') || groupOf(c.id) === 'frus'),
    );
    expect(building.length).toBeGreaterThanOrEqual(2);
  });

  it('uses tools as the demo customers: tickets and account look-ups', () => {
    const toolCases = suite.cases.filter((c) => c.expect.kind === 'tool');
    const asDemo = toolCases.filter((c) => c.customer !== 'new').map((c) => c.expect.tool!.name);
    expect(asDemo).toContain('lookup_account');
    expect(asDemo.some((name) => name.includes('ticket'))).toBe(true);
  });

  it('calls each of the demo shop’s actions, with order numbers of the customer’s own orders', async () => {
    const orders = await readDemoOrders(new Date());
    const actionCases = suite.cases.filter((c) =>
      demoActions.some((a) => a.name === c.expect.tool?.name),
    );
    expect(new Set(actionCases.map((c) => c.expect.tool!.name))).toEqual(
      new Set(demoActions.map((a) => a.name)),
    );
    for (const c of actionCases) {
      const number = String(c.expect.tool!.args.order_number ?? '').replace(/^#/, '');
      const order = orders.find((o) => o.number === number);
      expect(order, `${c.id}: ${number} is a demo order`).toBeDefined();
      // A case about someone else's order says so in its id.
      if (!c.id.includes('other-customer')) expect(order!.customer, c.id).toBe(c.customer);
    }
  });

  it('runs the returns procedure to each of its ends, on the customer’s own orders', async () => {
    const orders = await readDemoOrders(new Date());
    const procedureCases = suite.cases.filter((c) => c.expect.kind === 'procedure');
    const ends = new Set(procedureCases.map((c) => c.expect.procedure?.status));
    for (const status of ['active', 'handed_off', 'left']) expect(ends).toContain(status);
    for (const c of procedureCases) {
      for (const [number] of c.turns.join(' ').matchAll(/PC\d{6}/g)) {
        expect(orders.find((o) => o.number === number)?.customer, `${c.id}: ${number}`).toBe(
          c.customer,
        );
      }
    }
  });

  it('asks in Chinese about English articles as well as Chinese ones', () => {
    const groups = suite.cases.map((c) => groupOf(c.id));
    expect(groups.filter((g) => g === 'zh').length).toBeGreaterThanOrEqual(3);
    expect(groups.filter((g) => g === 'xl').length).toBeGreaterThanOrEqual(3);
  });
});

describe('the demo suite check', () => {
  const sound: Case = {
    id: 'ans-return-window',
    customer: 'new',
    turns: ['How long do I have to return something?'],
    expect: {
      kind: 'answer',
      article: 'returns-and-exchanges',
      facts: ['\\b30\\b.{0,12}days'],
      forbid: [],
      reason: null,
      tool: null,
      language: 'en',
    },
  };
  const broken = (change: (c: Case) => void) => {
    const copy = structuredClone(sound);
    change(copy);
    return copy;
  };
  const toolCase = (name: string, args: Record<string, unknown>) =>
    broken((c) => {
      c.id = 'tool-case';
      Object.assign(c.expect, { kind: 'tool', article: null, facts: [], tool: { name, args } });
    });

  it('finds nothing wrong with a sound case', () => {
    expect(problemsOf(sound)).toEqual([]);
  });

  it.each<[string, Case, RegExp]>([
    [
      'an unknown article',
      broken((c) => {
        c.expect.article = 'returns';
      }),
      /not in content\/kb/,
    ],
    [
      'a fact the article does not say',
      broken((c) => {
        c.expect.facts = ['\\b60\\b.{0,12}days'];
      }),
      /is not in returns-and-exchanges/,
    ],
    [
      'a regex that does not compile',
      broken((c) => {
        c.expect.forbid = ['(30 days'];
      }),
      /forbid\[0\] does not compile/,
    ],
    [
      'an answer without facts',
      broken((c) => {
        c.expect.facts = [];
      }),
      /1 to 3 facts/,
    ],
    [
      'no turns',
      broken((c) => {
        c.turns = [];
      }),
      /turns must be/,
    ],
    [
      'an unknown kind',
      broken((c) => {
        c.expect.kind = 'reply';
      }),
      /kind reply is unknown/,
    ],
    [
      'an unknown customer',
      broken((c) => {
        c.customer = 'demo-carol';
      }),
      /not "new" or a demo customer/,
    ],
    [
      'a group of another kind',
      broken((c) => {
        c.id = 'tool-return-window';
      }),
      /cannot be kind answer/,
    ],
    [
      'a missing field',
      broken((c) => {
        delete (c.expect as Partial<Case['expect']>).language;
      }),
      /expect has keys/,
    ],
    [
      'an unknown escalation reason',
      broken((c) => {
        c.id = 'esc-return-window';
        Object.assign(c.expect, { kind: 'escalate', article: null, facts: [], reason: 'angry' });
      }),
      /reason angry is not an escalation reason/,
    ],
    [
      'an argument the tool does not take',
      toolCase('get_ticket_status', { ticket: 'TKT-1002', order: '#PC1' }),
      /has no argument order/,
    ],
    [
      'an account look-up for an anonymous customer',
      toolCase('lookup_account', {}),
      /only for a signed-in demo customer/,
    ],
  ])('reports %s', (_label, value, problem) => {
    expect(problemsOf(value).join('\n')).toMatch(problem);
  });
});
