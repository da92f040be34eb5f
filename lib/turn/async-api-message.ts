import { createHmac } from 'node:crypto';
import { and, asc, eq, gte, ne, notExists } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, messages } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { findMessageByIdempotencyKey, type Message } from '@/lib/conversations/queries';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { uuidFromDigest } from '@/lib/idempotency/idempotent-requests';
import { enqueueJob, getJob, type Job } from '@/lib/jobs/queries';
import { PermanentJobError } from '@/lib/jobs/worker';
import {
  type ApiMessageInput,
  type ApiReply,
  collectApiReply,
  startApiMessage,
  toApiCitations,
} from './api-message';

export const ASYNC_MESSAGE_JOB = 'api.message';

interface AsyncMessagePayload {
  keyId: string;
  input: ApiMessageInput;
}

/**
 * Queues a customer message for the job system; the job's id is the task id. With a `dedupeKey`
 * (from an Idempotency-Key) queueing again returns the task already queued.
 */
export async function queueApiMessage(
  db: Database,
  input: { keyId: string; message: ApiMessageInput; dedupeKey?: string },
): Promise<{ task_id: string }> {
  const payload: AsyncMessagePayload = { keyId: input.keyId, input: input.message };
  const id = await enqueueJob(db, {
    type: ASYNC_MESSAGE_JOB,
    payload,
    maxAttempts: 3,
    dedupeKey: input.dedupeKey,
  });
  return { task_id: id };
}

export interface ApiTask {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  result?: ApiReply;
  error?: { code: string; message: string };
  created_at: string;
  finished_at: string | null;
}

/** A task of this key; another key's task is simply not found. */
export async function getApiTask(
  db: Database,
  input: { id: string; keyId: string },
): Promise<ApiTask> {
  const job = await getJob(db, input.id);
  if (
    !job ||
    job.type !== ASYNC_MESSAGE_JOB ||
    (job.payload as AsyncMessagePayload).keyId !== input.keyId
  ) {
    throw new TandemError('not_found:task', 'No task of this key has that id.');
  }
  const base = {
    id: job.id,
    status: job.status === 'queued' ? ('pending' as const) : job.status,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
  if (job.status === 'completed') return { ...base, result: job.result as ApiReply };
  if (job.status === 'failed') {
    const failure = (job.result as { error?: ApiTask['error'] } | null)?.error;
    return {
      ...base,
      error: failure ?? {
        code: 'internal:task',
        message: 'The message could not be processed; send it again.',
      },
    };
  }
  return base;
}

/**
 * Answers a queued message. Safe to run again after a crash: the customer message carries the
 * task's id as its idempotency key, and a new conversation an id derived from it.
 */
export async function runApiMessageJob(app: AppContext, job: Job): Promise<ApiReply> {
  const { input } = job.payload as AsyncMessagePayload;
  try {
    return await answerApiMessageOnce(app, input, {
      messageKey: `task:${job.id}`,
      conversationId: await taskConversationId(app, job.id),
    });
  } catch (error) {
    // The caller's mistake (another customer's conversation, ...): retrying cannot help.
    if (error instanceof TandemError && error.status < 500) {
      throw new PermanentJobError(error.message, {
        error: { code: error.code, message: error.message },
      });
    }
    throw error;
  }
}

/**
 * The id of the conversation a task opens. Not the task's id, which job log lines carry and
 * which outlive an erasure: keyed with the instance secret, the logs cannot lead to it. (Tasks
 * queued before this rule opened a conversation under their own id; a rerun keeps it.)
 */
async function taskConversationId(app: AppContext, taskId: string): Promise<string> {
  const [legacy] = await app.database.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, taskId));
  if (legacy) return legacy.id;
  return uuidFromDigest(
    createHmac('sha256', app.secret).update(`task-conversation:${taskId}`).digest(),
  );
}

/**
 * Answers an API message so that running it again after a partial run stores nothing twice: the
 * customer message is stored under `ids.messageKey`, in the given conversation or a new one with
 * id `ids.conversationId`, so a second run finds what the first stored — it answers a stored
 * message, or returns a stored answer — instead of storing it again.
 */
export async function answerApiMessageOnce(
  app: AppContext,
  input: ApiMessageInput,
  ids: { messageKey: string; conversationId: string },
  started = Date.now(),
): Promise<ApiReply> {
  const { db } = app.database;
  let conversationId = input.conversation_id;
  let opened = false;
  if (!conversationId) {
    const customer = await upsertCustomerByExternalId(db, {
      externalId: input.customer_id,
      context: input.customer_context,
      language: input.language,
    });
    opened =
      (
        await db
          .insert(conversations)
          .values({ id: ids.conversationId, customerId: customer.id, channel: 'api' })
          .onConflictDoNothing()
          .returning({ id: conversations.id })
      ).length > 0;
    conversationId = ids.conversationId;
  }
  const target = conversationId;
  const stored = await findMessageByIdempotencyKey(db, conversationId, ids.messageKey);
  if (stored) {
    const answer = await findAnswerTo(db, stored);
    if (answer) return storedReply(stored, answer);
  }
  const turn = await startApiMessage(
    app,
    { ...input, conversation_id: conversationId },
    { idempotencyKey: ids.messageKey, resume: true },
  ).catch(async (error) => {
    // Refused before anything was stored (consent missing, ...): no empty conversation is left.
    if (opened && error instanceof TandemError && error.status < 500) {
      await db
        .delete(conversations)
        .where(
          and(
            eq(conversations.id, target),
            notExists(db.select().from(messages).where(eq(messages.conversationId, target))),
          ),
        );
    }
    throw error;
  });
  return collectApiReply(turn, started);
}

/** The AI's answer to a stored customer message, if one was stored before the next customer message. */
async function findAnswerTo(db: Database, question: Message): Promise<Message | null> {
  const after = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, question.conversationId),
        gte(messages.createdAt, question.createdAt),
        ne(messages.id, question.id),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
  for (const message of after) {
    if (message.role === 'customer') return null;
    if (message.role === 'ai') return message;
  }
  return null;
}

function storedReply(question: Message, answer: Message): ApiReply {
  const classification = question.metadata.classification!;
  return {
    conversation_id: question.conversationId,
    customer_message_id: question.id,
    message_id: answer.id,
    reply: answer.content,
    held_for_human: false,
    citations: toApiCitations(answer.metadata.citations ?? []),
    classification,
    escalated: answer.metadata.escalation !== undefined,
    abstained: answer.metadata.abstained === true,
    processing_ms: 0,
  };
}
