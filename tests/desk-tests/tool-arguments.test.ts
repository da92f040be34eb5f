import { describe, expect, it } from 'vitest';
import { findTool } from '@/lib/ai/tools';
import { deskTestCaseSchema } from '@/lib/desk-tests/case';
import { checkExpectation, matchesToolArgs, type TurnRecord } from '@/lib/desk-tests/check';

/** A turn in which the AI called a tool with this input, as the AI SDK recorded it. */
const calling = (tool: string, input: unknown): TurnRecord => ({
  plan: 'answer',
  reply: 'Ticket **TKT-1002** is **open**.',
  citations: [],
  tools: [{ tool, input, output: {} }],
  handOffs: [],
  abstained: false,
});

const toolCase = (name: string, args: Record<string, unknown>) =>
  deskTestCaseSchema.parse({
    id: 'c',
    turns: ['?'],
    expect: { kind: 'tool', tool: { name, args } },
  }).expect;

const failureCodes = (args: Record<string, unknown>, recorded: unknown) =>
  checkExpectation(toolCase('get_ticket_status', args), [
    calling('get_ticket_status', recorded),
  ]).map((f) => f.code);

describe('tool arguments written as the customer types them', () => {
  it('reads the ticket tools the way the AI SDK records them: "TKT-1002" becomes 1002', () => {
    // The premise: the tool's own schema turns the number as said into the number stored.
    expect(findTool('get_ticket_status')!.inputSchema.parse({ ticket: 'TKT-1002' })).toEqual({
      ticket: 1002,
    });
  });

  it.each([
    ['as the customer writes it', { ticket: 'TKT-1002' }],
    ['in another spelling the schema reads', { ticket: 'tkt 1002' }],
    ['as the schema stores it', { ticket: 1002 }],
  ])('matches a call recorded after the transform, with the case written %s', (_, args) => {
    expect(failureCodes(args, { ticket: 1002 })).toEqual([]);
  });

  it('still matches a call recorded as written (a tool without a transform, an older record)', () => {
    expect(failureCodes({ ticket: 'tkt-1002' }, { ticket: 'TKT-1002' })).toEqual([]);
  });

  it('fails a call on another ticket, whichever form the case uses', () => {
    expect(failureCodes({ ticket: 'TKT-1003' }, { ticket: 1002 })).toEqual(['tool_args']);
    expect(failureCodes({ ticket: 1003 }, { ticket: 1002 })).toEqual(['tool_args']);
  });

  it('compares a value the schema cannot read as written', () => {
    expect(matchesToolArgs('get_ticket_status', { ticket: 'soon' }, { ticket: 'soon' })).toBe(true);
    expect(matchesToolArgs('get_ticket_status', { ticket: 'soon' }, { ticket: 1002 })).toBe(false);
  });

  it('reads only the arguments given, so a case need not list every required field', () => {
    const recorded = { ticket: 1004, details: "the courier's photo shows someone else's door" };
    expect(matchesToolArgs('update_ticket', { ticket: 'TKT-1004' }, recorded)).toBe(true);
    expect(
      matchesToolArgs('update_ticket', { ticket: 'TKT-1004', details: 'a refund' }, recorded),
    ).toBe(false);
  });

  it('compares the arguments of a tool the registry does not know as written', () => {
    expect(matchesToolArgs('crm_lookup', { ticket: 'TKT-1002' }, { ticket: 'tkt-1002' })).toBe(
      true,
    );
    expect(matchesToolArgs('crm_lookup', { ticket: 'TKT-1002' }, { ticket: 1002 })).toBe(false);
  });
});
