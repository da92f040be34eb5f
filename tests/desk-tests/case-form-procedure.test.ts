import { describe, expect, it } from 'vitest';
import { caseOf, draftOf, EMPTY_CASE } from '@/components/admin/desk-tests/case-form';
import { RequestError } from '@/components/admin/desk-tests/request';
import type { DeskTestCase } from '@/components/admin/desk-tests/types';
import { deskTestCaseSchema } from '@/lib/desk-tests/case';

/*
 * The admin's case form edits a procedure case's expectation: which procedure must run and,
 * optionally, how it must stand after the last turn. A procedure case without a procedure is
 * refused before it is sent, under the field's own name.
 */

const procedureCase = deskTestCaseSchema.parse({
  id: 'proc-return-outside-window',
  customer: 'demo-alice',
  turns: ['I want to return order #PC104518'],
  expect: {
    kind: 'procedure',
    facts: ['outside our 30-day returns window'],
    procedure: { name: 'start_a_return', status: 'handed_off' },
  },
}) as DeskTestCase;

describe('the case form’s procedure field', () => {
  it('reads and writes a procedure case unchanged', () => {
    const sent = caseOf(draftOf(procedureCase));
    expect(sent.expect).toMatchObject({
      kind: 'procedure',
      procedure: { name: 'start_a_return', status: 'handed_off' },
    });
    expect(deskTestCaseSchema.parse(sent)).toEqual(procedureCase);
  });

  it('sends any outcome as null, and no procedure for the other kinds', () => {
    const draft = { ...draftOf(procedureCase), procedureStatus: '' as const };
    expect((caseOf(draft).expect as { procedure: unknown }).procedure).toEqual({
      name: 'start_a_return',
      status: null,
    });
    const asAnswer = caseOf({ ...draft, kind: 'answer' });
    expect(asAnswer.expect).not.toHaveProperty('procedure');
    expect(() => deskTestCaseSchema.parse(asAnswer)).not.toThrow();
  });

  it('refuses a procedure case that names no procedure, naming the field', () => {
    const draft = { ...draftOf(EMPTY_CASE), id: 'p', turns: ['hi'], kind: 'procedure' as const };
    try {
      caseOf({ ...draft, procedureName: '  ' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).fields).toEqual([
        { field: 'expect.procedure.name', message: 'is required for a procedure case' },
      ]);
    }
  });
});
