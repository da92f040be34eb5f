import { eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import {
  apiKeys,
  conversations,
  customers,
  kbDocuments,
  tickets,
  users,
  webhookEndpoints,
} from '@/db/schema';
import type { Subject, SubjectKind, SubjectNames } from './describe';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The names of the subjects a page of audit entries speaks of, one query per kind: a
 * conversation by its customer, a customer, key or team member by name, an article by title.
 */
export async function loadSubjectNames(db: Database, subjects: Subject[]): Promise<SubjectNames> {
  const ids = (kind: SubjectKind) => [
    ...new Set(subjects.filter((s) => s.kind === kind && UUID.test(s.id)).map((s) => s.id)),
  ];
  const when = <T>(list: string[], query: (list: string[]) => Promise<T[]>) =>
    list.length ? query(list) : Promise.resolve([] as T[]);
  const [conversationRows, customerRows, keyRows, userRows, documentRows, ticketRows, hookRows] =
    await Promise.all([
      when(ids('conversation'), (list) =>
        db
          .select({ id: conversations.id, name: customers.name, email: customers.email })
          .from(conversations)
          .innerJoin(customers, eq(customers.id, conversations.customerId))
          .where(inArray(conversations.id, list)),
      ),
      when(ids('customer'), (list) =>
        db
          .select({ id: customers.id, name: customers.name, email: customers.email })
          .from(customers)
          .where(inArray(customers.id, list)),
      ),
      when(ids('api_key'), (list) =>
        db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(inArray(apiKeys.id, list)),
      ),
      when(ids('user'), (list) =>
        db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, list)),
      ),
      when(ids('document'), (list) =>
        db
          .select({ id: kbDocuments.id, name: kbDocuments.title })
          .from(kbDocuments)
          .where(inArray(kbDocuments.id, list)),
      ),
      when(ids('ticket'), (list) =>
        db
          .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
          .from(tickets)
          .where(inArray(tickets.id, list)),
      ),
      when(ids('webhook'), (list) =>
        db
          .select({ id: webhookEndpoints.id, name: webhookEndpoints.url })
          .from(webhookEndpoints)
          .where(inArray(webhookEndpoints.id, list)),
      ),
    ]);
  const names = new Map<string, string>();
  const person = (r: { name: string | null; email: string | null }) =>
    r.name ?? r.email ?? undefined;
  for (const r of conversationRows) {
    const name = person(r);
    if (name) names.set(`conversation:${r.id}`, name);
  }
  for (const r of customerRows) {
    const name = person(r);
    if (name) names.set(`customer:${r.id}`, name);
  }
  for (const r of keyRows) names.set(`api_key:${r.id}`, r.name);
  for (const r of userRows) names.set(`user:${r.id}`, r.name);
  for (const r of documentRows) names.set(`document:${r.id}`, r.name);
  for (const r of ticketRows) names.set(`ticket:${r.id}`, `TKT-${r.number} ${r.subject}`);
  for (const r of hookRows) names.set(`webhook:${r.id}`, r.name);
  return { get: (subject) => names.get(`${subject.kind}:${subject.id}`) };
}
