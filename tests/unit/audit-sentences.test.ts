import { describe, expect, it } from 'vitest';
import {
  type AuditRow,
  describeAudit,
  type SubjectNames,
} from '@/app/(admin)/admin/audit/describe';

const CONVERSATION = '0b6a3f4e-64a4-4d53-9d3c-0b0f1b6f2a11';
const KEY = '5f0e7b2c-1c1d-4d8e-a0f7-4e3c2b1a0f99';
const names: SubjectNames = {
  get: ({ kind, id }) =>
    kind === 'conversation' && id === CONVERSATION
      ? 'Alice Tan'
      : kind === 'api_key' && id === KEY
        ? 'shop'
        : undefined,
};

const row = (action: string, more: Partial<AuditRow> = {}): AuditRow => ({
  action,
  actorType: 'staff',
  actorName: 'Dana',
  subjectType: null,
  subjectId: null,
  details: {},
  ...more,
});

describe('the audit log in words', () => {
  it('names the conversation by its customer, linked to it in the console', () => {
    expect(
      describeAudit(
        row('POST /api/console/conversations/[id]/resolve', {
          subjectType: 'resource',
          subjectId: CONVERSATION,
        }),
        names,
      ),
    ).toEqual({
      verb: 'resolved',
      object: {
        text: 'the conversation with Alice Tan',
        href: `/console/conversations/${CONVERSATION}`,
      },
    });
  });

  it('names a created key by the name it was given, and a revoked one by its id', () => {
    expect(
      describeAudit(row('POST /api/admin/api-keys', { details: { name: 'shop' } }), names),
    ).toEqual({
      verb: 'created',
      object: { text: 'API key ‘shop’' },
    });
    expect(
      describeAudit(
        row('DELETE /api/admin/api-keys/[id]', { subjectType: 'resource', subjectId: KEY }),
        names,
      ),
    ).toEqual({ verb: 'revoked', object: { text: 'API key ‘shop’', href: '/admin/api-keys' } });
  });

  it('says what a route with no phrase of its own did, from its method and path', () => {
    expect(
      describeAudit(
        row('POST /api/admin/canned-responses', { details: { title: 'Refunds' } }),
        names,
      ),
    ).toEqual({ verb: 'created', object: { text: 'canned responses ‘Refunds’' } });
    expect(describeAudit(row('PUT /api/admin/settings/consent'), names)).toMatchObject({
      verb: 'changed',
      object: { text: 'the AI consent notice', href: '/admin/settings' },
    });
  });

  it('words domain entries, never linking to an erased customer', () => {
    expect(
      describeAudit(
        row('conversation.viewed', { subjectType: 'conversation', subjectId: CONVERSATION }),
        names,
      ),
    ).toMatchObject({ verb: 'viewed', object: { text: 'the conversation with Alice Tan' } });
    const erased = describeAudit(
      row('customer.erased', {
        subjectType: 'customer',
        subjectId: 'k3yedHash',
        details: { counts: { messages: 4, conversations: 1 } },
      }),
      names,
    );
    expect(erased).toEqual({
      verb: 'erased',
      object: { text: 'a customer and their data' },
      note: '5 records',
    });
    expect(describeAudit(row('action.created', { details: { name: 'refund' } }), names)).toEqual({
      verb: 'created action',
      object: { text: '‘refund’' },
    });
  });
});
