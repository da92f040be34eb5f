import { humanizeKey } from '@/lib/text/labels';

/** An audit entry as stored (lib/privacy/audit.ts). */
export interface AuditRow {
  action: string;
  actorType: string;
  actorName: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
}

/** What an entry is about, found by its id: a conversation, a customer, an API key… */
export type SubjectKind =
  | 'conversation'
  | 'customer'
  | 'api_key'
  | 'user'
  | 'document'
  | 'ticket'
  | 'webhook'
  | 'action_call'
  | 'other';

export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** The names of the subjects on the page, looked up together (./subject-names.ts). */
export interface SubjectNames {
  /** A conversation's customer ("Alice Tan"), a customer's or a key's name, a document's title. */
  get(subject: Subject): string | undefined;
}

/** An entry in words: "resolved the conversation with", then the thing, linked where it lives. */
export interface AuditSentence {
  verb: string;
  object?: { text: string; href?: string };
  /** A short extra ("as failed", "3 rows"). */
  note?: string;
}

type Phrase = {
  verb: string;
  /** How the subject is named after the verb; "" leaves it out. */
  the?: string;
  kind?: SubjectKind;
};

/** Console and admin routes (`METHOD /api/...` as staffRoute records them), by what they did. */
const ROUTES: Record<string, Phrase> = {
  'POST /api/console/conversations/[id]/resolve': { verb: 'resolved', kind: 'conversation' },
  'POST /api/console/conversations/[id]/take-over': { verb: 'took over', kind: 'conversation' },
  'POST /api/console/conversations/[id]/hand-back': {
    verb: 'handed back to the AI',
    kind: 'conversation',
  },
  'POST /api/console/conversations/[id]/transfer': { verb: 'transferred', kind: 'conversation' },
  'POST /api/console/conversations/[id]/messages': { verb: 'replied in', kind: 'conversation' },
  'POST /api/console/conversations/[id]/notes': { verb: 'added a note to', kind: 'conversation' },
  'POST /api/console/conversations/[id]/suggested-reply': {
    verb: 'asked for a suggested reply in',
    kind: 'conversation',
  },
  'POST /api/console/tickets/[id]/reply': { verb: 'replied to', kind: 'ticket' },
  'POST /api/console/action-calls/[id]': { verb: 'decided on', kind: 'action_call' },
  'PUT /api/console/presence': { verb: 'changed their availability' },
  'POST /api/admin/api-keys': { verb: 'created', the: 'API key' },
  'DELETE /api/admin/api-keys/[id]': { verb: 'revoked', kind: 'api_key' },
  'POST /api/admin/api-keys/[id]/rotate': { verb: 'rotated', kind: 'api_key' },
  'POST /api/admin/users': { verb: 'added', the: 'team member' },
  'PATCH /api/admin/users/[id]': { verb: 'changed', kind: 'user' },
  'POST /api/admin/webhooks': { verb: 'added', the: 'a webhook endpoint' },
  'PATCH /api/admin/webhooks/[id]': { verb: 'changed', kind: 'webhook' },
  'DELETE /api/admin/webhooks/[id]': { verb: 'deleted', kind: 'webhook' },
  'POST /api/admin/kb/documents': { verb: 'added', the: 'article' },
  'PATCH /api/admin/kb/documents/[id]': { verb: 'edited', kind: 'document' },
  'PUT /api/admin/kb/documents/[id]': { verb: 'edited', kind: 'document' },
  'DELETE /api/admin/kb/documents/[id]': { verb: 'deleted', kind: 'document' },
  'POST /api/admin/kb/documents/[id]/reindex': { verb: 're-indexed', kind: 'document' },
  'POST /api/admin/kb/try': { verb: 'tried a question on the knowledge base' },
  'POST /api/admin/knowledge-gaps/publish': { verb: 'published', the: 'article' },
  'POST /api/admin/knowledge-gaps/draft': { verb: 'drafted an article for a content gap' },
  'PUT /api/admin/retention': { verb: 'changed the data retention' },
  'PUT /api/admin/glossary': { verb: 'changed the glossary' },
  'POST /api/admin/classifier/retrain': { verb: 'retrained the classifier' },
};

/** Settings pages: PUT /api/admin/settings/<part>. */
const SETTINGS: Record<string, string> = {
  widget: 'the chat widget’s appearance',
  consent: 'the AI consent notice',
  escalation: 'when the AI hands over',
  'business-hours': 'the business hours',
  'widget-origins': 'the sites allowed to embed the chat',
  inactivity: 'when quiet conversations are closed',
};

const PAST: Record<string, string> = {
  POST: 'created',
  PUT: 'changed',
  PATCH: 'changed',
  DELETE: 'deleted',
};

const CONSOLE_PATHS: Partial<Record<SubjectKind, (id: string) => string>> = {
  conversation: (id) => `/console/conversations/${id}`,
  customer: (id) => `/admin/customers/${id}`,
  api_key: () => '/admin/api-keys',
  user: () => '/admin/agents',
  document: (id) => `/admin/knowledge/${id}`,
  webhook: () => '/admin/webhooks',
};

/** The people and things entries speak of, as a reader of the log names them. */
const NOUNS: Record<SubjectKind, string> = {
  conversation: 'the conversation with',
  customer: 'customer',
  api_key: 'API key',
  user: 'team member',
  document: 'article',
  ticket: 'ticket',
  webhook: 'webhook endpoint',
  action_call: 'an action call',
  other: '',
};

/** The subject of a route entry: the id in its path, of the kind the route works on. */
export function subjectOf(row: AuditRow): Subject | null {
  if (!row.subjectId) return null;
  const phrase = ROUTES[row.action];
  if (phrase?.kind) return { kind: phrase.kind, id: row.subjectId };
  const known: Record<string, SubjectKind> = {
    conversation: 'conversation',
    customer: 'customer',
    action_call: 'action_call',
    api_key: 'api_key',
  };
  return { kind: known[row.subjectType ?? ''] ?? 'other', id: row.subjectId };
}

function object(
  subject: Subject | null,
  names: SubjectNames,
  named?: string,
): AuditSentence['object'] {
  if (!subject) return named ? { text: named } : undefined;
  const noun = NOUNS[subject.kind];
  const name = names.get(subject) ?? named;
  const href = CONSOLE_PATHS[subject.kind]?.(subject.id);
  if (subject.kind === 'conversation') {
    return { text: `${noun} ${name ?? 'a visitor'}`, href };
  }
  if (subject.kind === 'action_call' || subject.kind === 'other') {
    return { text: name ? `${noun} ${name}`.trim() : noun || 'an item', href };
  }
  return {
    text: name ? `${noun} ‘${name}’` : `a${/^[aeiou]/i.test(noun) ? 'n' : ''} ${noun}`,
    href,
  };
}

/** One audit entry as a sentence (the actor is said before it). */
export function describeAudit(row: AuditRow, names: SubjectNames): AuditSentence {
  const subject = subjectOf(row);
  const named =
    typeof row.details.name === 'string'
      ? row.details.name
      : typeof row.details.title === 'string'
        ? row.details.title
        : undefined;
  const route = /^(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)$/.exec(row.action);
  if (route) {
    const [, method, path] = route;
    const phrase = ROUTES[row.action];
    if (phrase) {
      if (phrase.the !== undefined) {
        const thing = named ? `${phrase.the} ‘${named}’` : phrase.the;
        return { verb: phrase.verb, object: thing ? { text: thing } : undefined };
      }
      return { verb: phrase.verb, object: object(subject, names, named) };
    }
    const setting = /^\/api\/admin\/settings\/([a-z-]+)$/.exec(path!);
    if (setting) {
      return {
        verb: 'changed',
        object: {
          text: SETTINGS[setting[1]!] ?? `the ${humanizeKey(setting[1]!).toLowerCase()} settings`,
          href: '/admin/settings',
        },
      };
    }
    // A route with no phrase of its own: what the method did to the last word of its path.
    const resource = path!
      .split('/')
      .filter((part) => part && part !== 'api' && !part.startsWith('['))
      .at(-1)!;
    const thing = humanizeKey(resource).toLowerCase();
    return {
      verb: PAST[method!] ?? 'used',
      object: { text: named ? `${thing} ‘${named}’` : thing },
    };
  }
  // Domain entries: `noun.verb` (customer.exported, action.created, procedure.published…).
  const [noun = row.action, verb = ''] = row.action.split('.');
  const counts = row.details.counts;
  const note =
    noun === 'action_call' && typeof row.details.status === 'string'
      ? `now ${humanizeKey(row.details.status).toLowerCase()}`
      : counts && typeof counts === 'object'
        ? `${Object.values(counts as Record<string, number>).reduce((a, b) => a + Number(b), 0)} records`
        : undefined;
  if (noun === 'action_call') {
    const action = typeof row.details.action === 'string' ? row.details.action : 'an action';
    const conversationId =
      typeof row.details.conversationId === 'string' ? row.details.conversationId : null;
    return {
      verb: `${humanizeKey(verb).toLowerCase()} the action ‘${action}’ in`,
      object: conversationId
        ? object({ kind: 'conversation', id: conversationId }, names)
        : { text: 'a conversation' },
      note,
    };
  }
  const did = humanizeKey(verb || 'changed').toLowerCase();
  if (noun === 'customer' && verb === 'erased') {
    // An erased customer's entry holds a keyed hash, not their id: there is nobody left to name.
    return { verb: 'erased', object: { text: 'a customer and their data' }, note };
  }
  if (noun === 'customer' || noun === 'conversation') {
    return { verb: did, object: object(subject && { kind: noun, id: subject.id }, names), note };
  }
  return {
    verb: `${did} ${humanizeKey(noun).toLowerCase()}`,
    object: named ? { text: `‘${named}’` } : undefined,
    note,
  };
}
