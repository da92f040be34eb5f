import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  ActionInput,
  HttpConfig,
  McpConfig,
  McpConnectorHeader,
} from '@/lib/actions/definition';
import type { SettledOutcomes } from '@/lib/analytics/outcome-definitions';
import type { Classification } from '@/lib/classify/schema';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import type { ProcedureStep } from '@/lib/procedures/definition';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const userRole = pgEnum('user_role', ['agent', 'admin']);
export const conversationStatus = pgEnum('conversation_status', [
  'open',
  'waiting',
  'resolved',
  'closed',
]);
export const conversationOwner = pgEnum('conversation_owner', ['ai', 'human', 'none']);
export const resolvedBy = pgEnum('resolved_by', ['ai', 'human']);
export const conversationChannel = pgEnum('conversation_channel', ['widget', 'api']);
export const priority = pgEnum('priority', ['low', 'medium', 'high', 'urgent']);
export const sentimentTrend = pgEnum('sentiment_trend', ['improving', 'steady', 'worsening']);
export const messageRole = pgEnum('message_role', ['customer', 'ai', 'agent', 'system']);
export const ticketStatus = pgEnum('ticket_status', [
  'open',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
]);

export const agentAvailability = pgEnum('agent_availability', ['online', 'away']);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: userRole('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  /**
   * 'away' is the agent's own choice and holds until they change it; 'online' means online
   * whenever a console of theirs is open and in use (lib/staff/presence.ts).
   */
  availability: agentAvailability('availability').notNull().default('online'),
  /** The last heartbeat of an open console. */
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  /** The last input (key, pointer, touch) in an open console; idle agents count as away. */
  lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
  /** Set when an admin deactivates the account: it can no longer sign in. */
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  /** Part of every session token; raising it ends all of the account's sessions at once. */
  sessionVersion: integer('session_version').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type CustomerProfile = {
  preferences?: string[];
  topics?: string[];
  [key: string]: unknown;
};

export const consentDecision = pgEnum('consent_decision', ['granted', 'declined']);

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  externalId: text('external_id').unique(),
  name: text('name'),
  email: text('email'),
  language: text('language'),
  /** What Tandem learned about the customer (stated name, preferences, past topics). */
  profile: jsonb('profile').$type<CustomerProfile>().notNull().default({}),
  /** What the embedding site told us (plan, order ids, account tier). */
  context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
  /** The customer's answer to the AI-processing notice, when and to which version of it. */
  consent: consentDecision('consent'),
  consentAt: timestamp('consent_at', { withTimezone: true }),
  consentVersion: text('consent_version'),
  /** Part of every widget session token; raising it ends the customer's sessions ("forget me", erasure). */
  sessionVersion: integer('session_version').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    channel: conversationChannel('channel').notNull().default('widget'),
    status: conversationStatus('status').notNull().default('open'),
    owner: conversationOwner('owner').notNull().default('ai'),
    assignedAgentId: uuid('assigned_agent_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    /*
     * The conversation's labels, for queues and the console: over its customer's messages since
     * it was last resolved (lib/conversations/conversation-labels.ts), not the latest message's.
     */
    /** What it is about: the latest message that says what the customer needs, not "ok thanks". */
    category: text('category'),
    /** The most pressing priority of those messages. */
    priority: priority('priority'),
    /** The most negative polarity of those messages, −1 … 1. */
    sentiment: real('sentiment'),
    /** The highest frustration of those messages, 0 … 1. */
    frustration: real('frustration'),
    /** Which way the customer's mood went over their latest messages. */
    sentimentTrend: sentimentTrend('sentiment_trend'),
    /** The customer's problem in their words, as a short title (what hand-off tickets are called). */
    topic: text('topic'),
    language: text('language'),
    escalationReason: text('escalation_reason'),
    /** Rolling extractive summary of the conversation so far, refreshed every few messages. */
    summary: text('summary'),
    summarizedMessages: integer('summarized_messages').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    // Kept as they happen, so the insights dashboard reads one row per conversation.
    firstAiReplyAt: timestamp('first_ai_reply_at', { withTimezone: true }),
    firstAgentReplyAt: timestamp('first_agent_reply_at', { withTimezone: true }),
    /** When the current (or last) agent took the conversation over. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** A person took part at some point (took over, replied or resolved). */
    handledByHuman: boolean('handled_by_human').notNull().default(false),
    resolvedBy: resolvedBy('resolved_by'),
    /*
     * What its outcome is judged from (lib/analytics/outcomes.ts), kept by database triggers as
     * messages and feedback arrive (migration 0010), so every writer keeps them exact and they
     * outlive a transcript deleted by the retention policy.
     */
    /** The latest reply's verdict: `answered`, `unanswered` (abstained, handed off) or `unhelpful`. */
    replyVerdict: text('reply_verdict'),
    lastReplyId: uuid('last_reply_id'),
    /** Who wrote the latest message other than a system event: customer, ai or agent. */
    lastSpeaker: text('last_speaker'),
    lastSpokenAt: timestamp('last_spoken_at', { withTimezone: true }),
    /** Handed to the team (escalated, joined, transferred) and not handed back or resolved since. */
    withTeam: boolean('with_team').notNull().default(false),
    /** Its first resolution: a `resolved` event, or an answer followed by a quiet day. */
    firstResolvedAt: timestamp('first_resolved_at', { withTimezone: true }),
    /** The customer's first message after the first resolution. */
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    /** The latest message the facts above include; an earlier one arriving replays the transcript. */
    factsAt: timestamp('facts_at', { withTimezone: true }),
    /**
     * The resolved conversation the customer wrote into, which started this one: a resolved
     * conversation is not reopened by the customer (lib/conversations/queries.ts).
     */
    previousConversationId: uuid('previous_conversation_id').references(
      (): AnyPgColumn => conversations.id,
      { onDelete: 'set null' },
    ),
    /** When the customer was last asked whether they are still there (the inactivity policy). */
    inactivityAskedAt: timestamp('inactivity_asked_at', { withTimezone: true }),
    /** Resolved by the inactivity policy: its outcome is judged like a quiet conversation's. */
    resolvedForInactivity: boolean('resolved_for_inactivity').notNull().default(false),
  },
  (t) => [
    index('conversations_customer_idx').on(t.customerId, t.lastMessageAt),
    index('conversations_previous_idx').on(t.previousConversationId),
    index('conversations_status_idx').on(t.status, t.owner),
    index('conversations_created_idx').on(t.createdAt),
  ],
);

export type Citation = { documentId: string; slug: string; title: string; section?: string };

export type ToolActivity = { tool: string; input: unknown; output: unknown };

/** Where a conversation's procedure stands after a message: its name, version, step and status. */
export type ProcedureActivity = {
  name: string;
  version: number;
  step: string;
  status: 'active' | 'completed' | 'handed_off' | 'left';
};

export type ConversationEventKind =
  | 'escalated'
  | 'joined'
  | 'handed_back'
  | 'transferred'
  | 'resolved'
  | 'reopened'
  /** The inactivity policy asked whether the customer is still there. */
  | 'inactivity_check';

export type MessageMetadata = {
  citations?: Citation[];
  abstained?: boolean;
  /** A greeting, thanks or goodbye answered in kind, without searching the help center. */
  smallTalk?: boolean;
  confidence?: number;
  model?: string;
  classification?: Classification;
  tools?: ToolActivity[];
  escalation?: { reason: EscalationReason; explanation: string };
  /** The agent who wrote an agent message, or whose action a system event records. */
  agent?: { id: string; name: string };
  /** A change of hands, recorded as a system message in the transcript. */
  event?: ConversationEventKind;
  /** The procedure step this message said or records (lib/turn/procedure-step.ts). */
  procedure?: ProcedureActivity;
  /** The agent's optional note when resolving; for agents only. */
  note?: string;
  attachments?: {
    id: string;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    /** The start of its extracted text, as the model saw it; null for images. */
    excerpt: string | null;
  }[];
};

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: messageRole('role').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    content: text('content').notNull(),
    parts: jsonb('parts').$type<unknown[]>().notNull().default([]),
    metadata: jsonb('metadata').$type<MessageMetadata>().notNull().default({}),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    uniqueIndex('messages_idempotency_idx').on(t.conversationId, t.idempotencyKey),
  ],
);

export const kbDocuments = pgTable('kb_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  summary: text('summary'),
  category: text('category'),
  language: text('language').notNull().default('en'),
  sourceType: text('source_type').notNull().default('markdown'),
  content: text('content').notNull(),
  contentHash: text('content_hash').notNull(),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const kbChunks = pgTable(
  'kb_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => kbDocuments.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    /** Heading trail inside the document, e.g. "Refunds › How long it takes". */
    sectionPath: text('section_path').notNull().default(''),
    content: text('content').notNull(),
    contentHash: text('content_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('kb_chunks_document_ordinal_idx').on(t.documentId, t.ordinal)],
);

/**
 * "Was this helpful?" on a help-center article (lib/kb/article-feedback.ts). One row per visitor
 * and article, a keyed hash of the visitor's address standing for them: a second vote replaces the first.
 */
export const kbArticleFeedback = pgTable(
  'kb_article_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => kbDocuments.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    helpful: boolean('helpful').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('kb_article_feedback_voter_idx').on(t.documentId, t.voter)],
);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: integer('number').notNull().unique().generatedAlwaysAsIdentity({ startWith: 1001 }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, {
      onDelete: 'set null',
    }),
    assignedAgentId: uuid('assigned_agent_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    status: ticketStatus('status').notNull().default('open'),
    priority: priority('priority').notNull().default('medium'),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('tickets_customer_idx').on(t.customerId, t.createdAt)],
);

/** Instance-wide values generated once and shared by every app process (e.g. the signing secret). */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

/** The workspace's taxonomy: the categories messages are classified into. */
export const categories = pgTable('categories', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  createdAt: createdAt(),
});

export const classifierKind = pgEnum('classifier_kind', ['category', 'intent']);

/** Labelled messages the offline classifier learns from; admins add and import more. */
export const classifierExamples = pgTable(
  'classifier_examples',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: classifierKind('kind').notNull(),
    label: text('label').notNull(),
    text: text('text').notNull(),
    source: text('source').notNull().default('seed'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('classifier_examples_unique_idx').on(t.kind, t.label, t.text)],
);

/** The trained classifiers, stored so every instance loads the same model without retraining. */
export const classifierModels = pgTable('classifier_models', {
  kind: classifierKind('kind').primaryKey(),
  model: jsonb('model').notNull(),
  exampleCount: integer('example_count').notNull(),
  accuracy: real('accuracy'),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull().defaultNow(),
});

export type LastInvoice = {
  number: string;
  amount: number;
  currency: string;
  issuedOn: string;
  status: 'paid' | 'failed' | 'refunded' | 'pending';
};

/** The shop's account record for a customer, as lookup_account reports it. */
export const customerAccounts = pgTable('customer_accounts', {
  customerId: uuid('customer_id')
    .primaryKey()
    .references(() => customers.id, { onDelete: 'cascade' }),
  plan: text('plan').notNull(),
  status: text('status').notNull(),
  renewalDate: date('renewal_date'),
  lastInvoice: jsonb('last_invoice').$type<LastInvoice>(),
  updatedAt: updatedAt(),
});

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** Files a customer attached in chat: kept for agents, their text given to the pipeline. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    data: bytea('data').notNull(),
    extractedText: text('extracted_text'),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_conversation_idx').on(t.conversationId)],
);

/** Agents' notes on a conversation: kept apart from messages, so no customer path can read them. */
export const conversationNotes = pgTable(
  'conversation_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    content: text('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_notes_conversation_idx').on(t.conversationId, t.createdAt)],
);

/** How far each agent has read each conversation, for unread counts in the queue. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] })],
);

/** Replies admins prepare for agents, inserted in the reply box by typing /shortcut. */
export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  shortcut: text('shortcut').notNull().unique(),
  title: text('title').notNull(),
  content: text('content').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The customer's 1–5 rating of a resolved conversation. */
export const csatRatings = pgTable(
  'csat_ratings',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The agent who resolved it, if a person did. */
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    rating: integer('rating').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('csat_rating_range', sql`${t.rating} between 1 and 5`),
    index('csat_ratings_created_idx').on(t.createdAt),
  ],
);

/** Thumbs up or down on one AI answer. */
export const messageFeedback = pgTable(
  'message_feedback',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('message_feedback_conversation_idx').on(t.conversationId)],
);

/** Which articles each AI answer cited: per-article usefulness without reading every message. */
export const messageCitations = pgTable(
  'message_citations',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => kbDocuments.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.documentId] }),
    index('message_citations_document_idx').on(t.documentId, t.createdAt),
  ],
);

export const knowledgeGapReason = pgEnum('knowledge_gap_reason', ['abstained', 'escalated']);

/** Questions the bot could not answer from the knowledge base: the raw material of content gaps. */
export const knowledgeGaps = pgTable(
  'knowledge_gaps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    reason: knowledgeGapReason('reason').notNull(),
    category: text('category'),
    language: text('language'),
    createdAt: createdAt(),
  },
  (t) => [index('knowledge_gaps_created_idx').on(t.createdAt)],
);

export const apiScope = pgEnum('api_scope', ['read', 'write', 'agent', 'admin']);

/** Keys for the public API: only a hash of the secret is kept; the whole key is shown once. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** The key's public part, shown in lists and used to find it: `tdm_xxxxxxxx`. */
  prefix: text('prefix').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  scopes: apiScope('scopes').array().notNull(),
  rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(120),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** The first answer to each Idempotency-Key, replayed for a retry instead of running it again. */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    status: integer('status'),
    response: jsonb('response'),
    /** While the first request runs it holds the key until then; a retry after it takes over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.idempotencyKey] })],
);

export const jobStatus = pgEnum('job_status', ['queued', 'running', 'completed', 'failed']);

/**
 * Durable background work (async messages, webhook deliveries, ...). Workers claim rows with
 * FOR UPDATE SKIP LOCKED and hold them for a lease, so a job whose worker died runs again.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull().default({}),
    status: jobStatus('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    result: jsonb('result'),
    /** Enqueuing the same key twice yields one job. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_due_idx').on(t.status, t.runAt),
    index('jobs_type_created_idx').on(t.type, t.createdAt),
  ],
);

/** Where admins want events sent. The secret signs each delivery; it is shown once. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description'),
  events: text('events').array().notNull(),
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', [
  'pending',
  'succeeded',
  'failed',
]);

/** One event for one endpoint; its id is the Tandem-Delivery header receivers deduplicate on. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    status: webhookDeliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextRetryAt: timestamp('next_retry_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint_idx').on(t.eventId, t.endpointId),
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Every HTTP attempt of a delivery, for the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    nextRetryAt: timestamp('next_retry_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.createdAt)],
);

/** Who looked at or changed what: staff access to customer data, settings, exports, erasures. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

/** Proof that a customer was erased: what went and how much, with no personal data left in it. */
export const erasureReceipts = pgTable('erasure_receipts', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** A keyed hash of the erased customer's id: a repeat request finds this receipt, nothing names them. */
  subject: text('subject').notNull().unique(),
  erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
  requestedBy: text('requested_by').notNull(),
  counts: jsonb('counts').$type<Record<string, number>>().notNull(),
});

/** Why an attempt at a desk test failed: a stable code to group by, and what was seen. */
export type DeskTestFailure = { code: string; message: string };

/** One customer turn of a desk test attempt, as the customer saw it. */
export type DeskTestTurn = {
  customer: string;
  /** The AI's reply; null when it stayed silent (a person holds the conversation). */
  reply: string | null;
  plan: string;
  handOffs: EscalationReason[];
};

/** One run of a case's scripted conversation, and whether it met the case's expectation. */
export type DeskTestAttempt = {
  passed: boolean;
  failures: DeskTestFailure[];
  /** The last reply, which the expectation is checked on. */
  reply: string;
  citations: Pick<Citation, 'slug' | 'title' | 'section'>[];
  /** Every tool the AI used during the turns. */
  tools: ToolActivity[];
  /** What the last turn's plan was: answer, hand_off, small_talk, stay_silent… */
  plan: string;
  /** The first hand-off's reason, if the conversation was handed to a person. */
  escalation: EscalationReason | null;
  turns: DeskTestTurn[];
  ms: number;
};

/** What a run of a suite scored: a case passes when all of its k attempts pass (pass^k). */
export type DeskTestSummary = {
  n: number;
  passed: number;
  /** Share of cases all of whose k attempts passed. */
  passK: number;
  /** Share of attempts that passed: the expected pass rate of a single run. */
  pass1: number;
  /** Cases whose attempts disagreed. */
  flaky: number;
  byKind: Record<string, { passed: number; n: number }>;
};

/** The desk content a run was made on, as fingerprints: a change in any shows in the next run. */
export type DeskContentVersion = {
  /** `copy` of this desk's content, or a fresh `demo` desk. */
  source: 'copy' | 'demo';
  documents: number;
  /** Hashes of the knowledge base's documents, the settings, and the classifiers. */
  kb: string;
  settings: string;
  classifier: string;
};

/** The desk's test cases: scripted customer conversations and what should happen in them. */
export const deskTestCases = pgTable('desk_test_cases', {
  /** The case's own id, as written in its JSON Lines file. */
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  /** Where the case sits in the suite: imports keep their file's order. */
  position: integer('position').notNull().default(0),
  /** The case as written (one JSON Lines object), validated again whenever it is read. */
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const deskTestRunStatus = pgEnum('desk_test_run_status', ['running', 'completed', 'failed']);

/** One run of the desk's test cases on a throwaway copy of the desk, with what it ran on. */
export const deskTestRuns = pgTable(
  'desk_test_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: deskTestRunStatus('status').notNull().default('running'),
    /** Who started it, by name, and their account while it exists. */
    startedBy: text('started_by').notNull(),
    startedById: uuid('started_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** The model the cases ran with (`provider:model`), and how many times each case ran. */
    model: text('model').notNull(),
    k: integer('k').notNull(),
    desk: jsonb('desk').$type<DeskContentVersion>(),
    /** Cases to run and cases done, for a progress bar. */
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    summary: jsonb('summary').$type<DeskTestSummary>(),
    /** How the run's conversations ended, by the desk's outcome definitions (lib/analytics/outcomes.ts). */
    outcomes: jsonb('outcomes').$type<SettledOutcomes>(),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Renewed by the process carrying out the run while it runs: a run still `running` whose
     * heartbeat has stopped was cut off (the server stopped), whichever instance started it.
     */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('desk_test_runs_started_idx').on(t.startedAt)],
);

/** A case's outcome in one run; the case is kept as it ran, so editing it later changes no history. */
export const deskTestResults = pgTable(
  'desk_test_results',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => deskTestRuns.id, { onDelete: 'cascade' }),
    caseId: text('case_id').notNull(),
    /** The case's place in the run, which may finish cases out of order. */
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    /** How many of the attempts passed. */
    passes: integer('passes').notNull(),
    attempts: jsonb('attempts').$type<DeskTestAttempt[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.caseId] }),
    index('desk_test_results_case_idx').on(t.caseId, t.createdAt),
  ],
);

export const actionKind = pgEnum('action_kind', ['http', 'mcp']);
export const actionEffect = pgEnum('action_effect', ['read', 'write']);

/** What the bot may do in the business's own systems, defined by admins (lib/actions/definition.ts). */
export const actions = pgTable('actions', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The name the model calls it by. */
  name: text('name').notNull().unique(),
  label: text('label').notNull(),
  description: text('description').notNull(),
  kind: actionKind('kind').notNull(),
  inputs: jsonb('inputs').$type<ActionInput[]>().notNull().default([]),
  /** The request; a secret header keeps only its name here, its value is in `secrets`. */
  http: jsonb('http').$type<HttpConfig>(),
  /** Secret header values by header name, each encrypted (lib/actions/secrets.ts); never read back. */
  secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
  mcp: jsonb('mcp').$type<McpConfig>(),
  effect: actionEffect('effect').notNull(),
  verifiedOnly: boolean('verified_only').notNull().default(true),
  needsApproval: boolean('needs_approval').notNull().default(false),
  /** Calls per customer per hour; 0 for no limit. */
  rateLimitPerHour: integer('rate_limit_per_hour').notNull().default(60),
  examples: text('examples').array().notNull().default(sql`'{}'::text[]`),
  replyTemplate: text('reply_template').notNull().default(''),
  enabled: boolean('enabled').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * An MCP server whose tools admins may offer as actions (lib/actions/mcp-connectors.ts), reached
 * over Streamable HTTP under the same address guard as HTTP actions.
 */
export const mcpConnectors = pgTable('mcp_connectors', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  url: text('url').notNull(),
  /** Headers sent with every request; a secret one keeps only its name here. */
  headers: jsonb('headers').$type<McpConnectorHeader[]>().notNull().default([]),
  /** Secret header values by header name, each encrypted (lib/actions/secrets.ts); never read back. */
  secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
  timeoutMs: integer('timeout_ms').notNull().default(10_000),
  maxBytes: integer('max_bytes').notNull().default(262_144),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const actionCallStatus = pgEnum('action_call_status', [
  'awaiting_confirmation',
  'awaiting_approval',
  'ready',
  'running',
  'completed',
  'failed',
  'cancelled',
  'rejected',
  'expired',
]);

/** The request an action call made, as staff may see it: secret header values masked. */
export type ActionCallRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
};

/** What an action call answered: its HTTP status and only the allowlisted fields. */
export type ActionCallResponse = { status: number; data: unknown };

/**
 * One call of an action for a customer, through its lifecycle (lib/actions/calls.ts is the only
 * writer of `status`): confirmation by the customer, approval by an agent, then the run.
 */
export const actionCalls = pgTable(
  'action_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actionId: uuid('action_id').references(() => actions.id, { onDelete: 'set null' }),
    /** Kept so the history reads the same after the action is renamed or deleted. */
    actionName: text('action_name').notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The model's (or procedure's) input; identity-bound values are filled only when it runs. */
    input: jsonb('input').$type<Record<string, unknown>>().notNull().default({}),
    /** What the customer confirms and the agent approves. */
    summary: text('summary').notNull(),
    status: actionCallStatus('status').notNull(),
    request: jsonb('request').$type<ActionCallRequest>(),
    response: jsonb('response').$type<ActionCallResponse>(),
    error: text('error'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** The agent who approved or rejected it. */
    decidedById: uuid('decided_by_id').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** When a call still waiting for the customer or an agent lapses (lib/actions/calls.ts). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('action_calls_conversation_idx').on(t.conversationId, t.createdAt),
    index('action_calls_status_idx').on(t.status, t.createdAt),
    index('action_calls_customer_action_idx').on(t.customerId, t.actionName, t.createdAt),
  ],
);

/*
 * The demo shop's orders: a stand-in for a business's own order system, served by
 * app/api/demo-shop/ and called by the demo's actions over HTTP like any other. Filled only when
 * the demo content is installed (db/seed/demo-shop.ts); nothing in Tandem itself reads it.
 */
export const demoOrderStatus = pgEnum('demo_order_status', [
  'processing',
  'packed',
  'dispatched',
  'out_for_delivery',
  'delivered',
  'delivery_attempted',
  'cancelled',
]);

export type DemoOrderItem = { name: string; quantity: number; unitPrice: number };

export const demoOrders = pgTable(
  'demo_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As printed on receipts without its `#`: PC105120. */
    number: text('number').notNull().unique(),
    /** The shop's own customer id, which is the site user id its widget signs customers in with. */
    customer: text('customer').notNull(),
    status: demoOrderStatus('status').notNull(),
    items: jsonb('items').$type<DemoOrderItem[]>().notNull(),
    currency: text('currency').notNull(),
    /** In cents. */
    total: integer('total').notNull(),
    deliveryAddress: text('delivery_address').notNull(),
    courier: text('courier'),
    trackingNumber: text('tracking_number'),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** A return started on the order (one at a time): RT-…, why, and the label's unguessable key. */
    returnNumber: text('return_number').unique(),
    returnReason: text('return_reason'),
    returnLabelKey: text('return_label_key').unique(),
    returnStartedAt: timestamp('return_started_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [index('demo_orders_customer_idx').on(t.customer, t.placedAt)],
);

export const procedureStatus = pgEnum('procedure_status', ['draft', 'published']);

/** One published version of a procedure: what it is for (matched against requests) and its steps. */
export type PublishedProcedure = {
  description: string;
  examples: string[];
  steps: ProcedureStep[];
};

/**
 * How the business handles one kind of request, as steps the runtime follows (lib/procedures/).
 * Admins edit the draft (`description`, `examples`, `steps`); publishing copies it to the
 * `published*` columns and bumps `version`, so a customer mid-way keeps the version they started
 * on and the test suites can run a draft.
 */
export const procedures = pgTable('procedures', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  examples: text('examples').array().notNull().default(sql`'{}'::text[]`),
  status: procedureStatus('status').notNull().default('draft'),
  /** The draft's version: one more than the last published one. */
  version: integer('version').notNull().default(1),
  steps: jsonb('steps').$type<ProcedureStep[]>().notNull(),
  publishedDescription: text('published_description'),
  publishedExamples: text('published_examples').array(),
  publishedSteps: jsonb('published_steps').$type<ProcedureStep[]>(),
  publishedVersion: integer('published_version'),
  /** Each published version, kept so a run started on it can finish. */
  history: jsonb('history').$type<Record<string, PublishedProcedure>>().notNull().default({}),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const procedureRunStatus = pgEnum('procedure_run_status', [
  'active',
  'completed',
  'handed_off',
  'left',
]);

/** A conversation's way through a procedure, across turns and app instances; one active at a time. */
export const procedureRuns = pgTable(
  'procedure_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    procedureId: uuid('procedure_id').references(() => procedures.id, { onDelete: 'set null' }),
    /** Kept so the history reads the same after the procedure is renamed or deleted. */
    procedureName: text('procedure_name').notNull(),
    /** The version it started on and follows to its end. */
    version: integer('version').notNull(),
    stepId: text('step_id').notNull(),
    /** Values collected from the customer and results of the actions called. */
    values: jsonb('values').$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    /** Whether the step waits for the customer's reply or an action's result. */
    waiting: text('waiting'),
    status: procedureRunStatus('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('procedure_runs_active_idx')
      .on(t.conversationId)
      .where(sql`${t.status} = 'active'`),
    index('procedure_runs_conversation_idx').on(t.conversationId, t.createdAt),
  ],
);
