'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { type ChangeEvent, type FormEvent, type ReactNode, useId, useState } from 'react';
import { ESCALATION_REASONS, escalationReasonLabel } from '@/lib/conversations/escalation-reasons';
import {
  expectationSchema,
  NEW_CUSTOMER,
  PROCEDURE_OUTCOMES,
  TEST_KINDS,
  type TestKind,
} from '@/lib/desk-tests/case';
import type { FieldProblem } from '@/lib/errors';
import { buttonClass, inputClass, secondaryButtonClass } from '../use-action';
import { RequestError } from './request';
import type { DeskTestCase } from './types';

const OUTCOME_LABELS: Record<(typeof PROCEDURE_OUTCOMES)[number], string> = {
  completed: 'Completed',
  handed_off: 'Handed off to a person',
  left: 'Left by the customer',
  active: 'Still waiting on the customer',
};

const KIND_LABELS: Record<TestKind, string> = {
  answer: 'Answer from the help center',
  abstain: 'Decline (nothing to answer from)',
  escalate: 'Hand off to a person',
  tool: 'Use a tool',
  smalltalk: 'Small talk',
  procedure: 'Run a procedure',
};

/** The case as the form holds it: lists of patterns as one per line, tool arguments as JSON. */
export interface Draft {
  id: string;
  customer: string;
  turns: string[];
  kind: TestKind;
  article: string;
  facts: string;
  forbid: string;
  reason: string;
  toolName: string;
  toolArgs: string;
  /** For a procedure case: the procedure's name and, optionally, how it must stand at the end. */
  procedureName: string;
  procedureStatus: '' | (typeof PROCEDURE_OUTCOMES)[number];
  language: string;
  /** Keys the form does not edit (a note on why the case fails today…), saved as they were. */
  extra: Record<string, unknown>;
}

export const EMPTY_CASE: DeskTestCase = {
  id: '',
  customer: NEW_CUSTOMER,
  turns: [''],
  expect: expectationSchema.parse({ kind: 'answer' }),
};

export function draftOf(testCase: DeskTestCase): Draft {
  const { id, customer, turns, expect, ...extra } = testCase;
  return {
    id,
    customer,
    turns: turns.length ? turns : [''],
    kind: expect.kind,
    article: expect.article ?? '',
    facts: expect.facts.join('\n'),
    forbid: expect.forbid.join('\n'),
    reason: expect.reason ?? '',
    toolName: expect.tool?.name ?? '',
    toolArgs: expect.tool ? JSON.stringify(expect.tool.args) : '{}',
    procedureName: expect.procedure?.name ?? '',
    procedureStatus: expect.procedure?.status ?? '',
    language: expect.language ?? '',
    extra,
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The case to send; the server validates it and names each field it refuses. What the form can
 * tell at once (tool arguments that are not JSON, a procedure case naming no procedure) is
 * refused here, named as the server would name it.
 */
export function caseOf(draft: Draft): Record<string, unknown> {
  const procedureName = draft.procedureName.trim();
  if (draft.kind === 'procedure' && !procedureName) {
    throw new RequestError(
      'Name the procedure this case expects to run.',
      400,
      [{ field: 'expect.procedure.name', message: 'is required for a procedure case' }],
      {},
    );
  }
  let args: unknown = {};
  if (draft.toolName.trim() && draft.toolArgs.trim()) {
    try {
      args = JSON.parse(draft.toolArgs);
    } catch {
      throw new RequestError(
        'The tool arguments are not JSON.',
        400,
        [{ field: 'expect.tool.args', message: 'is not JSON, e.g. {"order": "1001"}' }],
        {},
      );
    }
  }
  return {
    ...draft.extra,
    id: draft.id.trim(),
    customer: draft.customer.trim() || NEW_CUSTOMER,
    turns: draft.turns.map((t) => t.trim()).filter(Boolean),
    expect: {
      kind: draft.kind,
      article: draft.article.trim() || null,
      facts: lines(draft.facts),
      forbid: lines(draft.forbid),
      reason: draft.kind === 'escalate' && draft.reason ? draft.reason : null,
      tool: draft.toolName.trim() ? { name: draft.toolName.trim(), args } : null,
      // Only a procedure case names one: the field stays in the draft if the kind is changed back.
      ...(draft.kind === 'procedure'
        ? { procedure: { name: procedureName, status: draft.procedureStatus || null } }
        : {}),
      language: draft.language.trim() || null,
    },
  };
}

const FIELD_LABELS: Record<string, string> = {
  id: 'Case id',
  customer: 'Customer',
  turns: 'Customer messages',
  'expect.kind': 'Expected outcome',
  'expect.article': 'Article',
  'expect.facts': 'Must mention',
  'expect.forbid': 'Must not mention',
  'expect.reason': 'Hand-off reason',
  'expect.tool': 'Tool',
  'expect.tool.name': 'Tool',
  'expect.tool.args': 'Tool arguments',
  'expect.procedure': 'Procedure',
  'expect.procedure.name': 'Procedure',
  'expect.procedure.status': 'Procedure outcome',
  'expect.language': 'Language',
};

/** `expect.facts.1` → `Must mention, line 2`: a problem named as the form names the field. */
function fieldLabel(field: string): string {
  const index = /^(.*)\.(\d+)$/.exec(field);
  if (index && FIELD_LABELS[index[1]!]) {
    const unit = index[1] === 'turns' ? 'message' : 'line';
    return `${FIELD_LABELS[index[1]!]}, ${unit} ${Number(index[2]) + 1}`;
  }
  return FIELD_LABELS[field] ?? field;
}

/**
 * The form for one case, in a dialog: its customer messages in order, and what the desk should
 * do with them. `existing` locks the id (saving replaces that case); a new case may not take the
 * id of one in `takenIds`.
 */
export function CaseFormDialog({
  initial,
  existing,
  takenIds,
  note,
  onSave,
  onClose,
}: {
  initial: DeskTestCase;
  existing: boolean;
  takenIds: ReadonlySet<string>;
  /** Shown above the form, e.g. where a draft came from. */
  note?: string;
  onSave: (testCase: Record<string, unknown>) => Promise<void>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const text = (
    key:
      | 'id'
      | 'customer'
      | 'article'
      | 'language'
      | 'facts'
      | 'forbid'
      | 'toolName'
      | 'toolArgs'
      | 'procedureName',
    label: string,
    extra: Omit<TextFieldProps, 'label' | 'value' | 'onChange'> = {},
  ) => <TextField label={label} value={draft[key]} onChange={(v) => set(key, v)} {...extra} />;
  const setTurn = (index: number, value: string) =>
    setDraft((d) => ({ ...d, turns: d.turns.map((t, i) => (i === index ? value : t)) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setProblems([]);
    if (!existing && takenIds.has(draft.id.trim())) {
      setError(`A case with the id “${draft.id.trim()}” exists already: choose another id.`);
      return;
    }
    setBusy(true);
    try {
      await onSave(caseOf(draft));
    } catch (e) {
      setError((e as Error).message);
      if (e instanceof RequestError) setProblems(e.fields);
    } finally {
      setBusy(false);
    }
  }

  const title = existing ? `Edit test case ${initial.id}` : 'New test case';
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90dvh] w-[min(42rem,95vw)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-ink-500">
            The customer messages are sent in order on one new conversation; the expectation is
            checked on the last reply.
          </Dialog.Description>
          {note && <p className="mt-2 rounded bg-blue-50 px-3 py-2 text-sm">{note}</p>}
          <form onSubmit={submit} aria-label="Test case" className="mt-4 space-y-4 text-sm">
            {(error || problems.length > 0) && (
              <div role="alert" className="rounded bg-red-50 px-3 py-2 text-red-700">
                {problems.length > 0 ? (
                  <>
                    <p>The case was not saved:</p>
                    <ul className="list-disc pl-5">
                      {problems.map((p) => (
                        <li key={`${p.field}:${p.message}`}>
                          {fieldLabel(p.field)}: {p.message}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  error
                )}
              </div>
            )}
            <div className="grid grid-cols-2 gap-3">
              {text('id', 'Case id', {
                readOnly: existing,
                required: true,
                placeholder: 'ship-sg',
              })}
              {text('customer', 'Customer', {
                describedBy: `${ids}-customer`,
                children: (
                  <span id={`${ids}-customer`} className="mt-0.5 block text-xs text-ink-500">
                    “new” for a new visitor, or a site user's id (e.g. demo-alice)
                  </span>
                ),
              })}
            </div>
            <fieldset className="space-y-2">
              <legend className="font-medium">Customer messages</legend>
              {draft.turns.map((turn, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: turns are edited in place, by position.
                <div key={index} className="flex items-start gap-2">
                  <textarea
                    value={turn}
                    onChange={(e) => setTurn(index, e.target.value)}
                    aria-label={`Message ${index + 1}`}
                    required={index === 0}
                    rows={2}
                    className={`${inputClass} flex-1`}
                  />
                  {draft.turns.length > 1 && (
                    <button
                      type="button"
                      onClick={() =>
                        set(
                          'turns',
                          draft.turns.filter((_, i) => i !== index),
                        )
                      }
                      className="text-red-700 underline"
                    >
                      Remove<span className="sr-only"> message {index + 1}</span>
                    </button>
                  )}
                </div>
              ))}
              <button
                type="button"
                onClick={() => set('turns', [...draft.turns, ''])}
                className={secondaryButtonClass}
              >
                Add a message
              </button>
            </fieldset>
            <fieldset className="space-y-3">
              <legend className="font-medium">What the desk should do</legend>
              <div className="grid grid-cols-2 gap-3">
                <label className="block">
                  Expected outcome
                  <select
                    value={draft.kind}
                    onChange={(e) => set('kind', e.target.value as TestKind)}
                    className={`${inputClass} mt-1 w-full bg-white`}
                  >
                    {TEST_KINDS.map((kind) => (
                      <option key={kind} value={kind}>
                        {KIND_LABELS[kind]}
                      </option>
                    ))}
                  </select>
                </label>
                {draft.kind === 'escalate' && (
                  <label className="block">
                    Hand-off reason
                    <select
                      value={draft.reason}
                      onChange={(e) => set('reason', e.target.value)}
                      className={`${inputClass} mt-1 w-full bg-white`}
                    >
                      <option value="">Any reason</option>
                      {ESCALATION_REASONS.map((reason) => (
                        <option key={reason} value={reason}>
                          {escalationReasonLabel(reason)}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                {draft.kind === 'procedure' && (
                  <>
                    {text('procedureName', 'Procedure', {
                      required: true,
                      placeholder: 'start_a_return',
                      describedBy: `${ids}-procedure`,
                      children: (
                        <span id={`${ids}-procedure`} className="mt-0.5 block text-xs text-ink-500">
                          its name on the Procedures page; a draft runs as it is now
                        </span>
                      ),
                    })}
                    <label className="block">
                      Procedure outcome
                      <select
                        value={draft.procedureStatus}
                        onChange={(e) =>
                          set('procedureStatus', e.target.value as Draft['procedureStatus'])
                        }
                        className={`${inputClass} mt-1 w-full bg-white`}
                      >
                        <option value="">Any outcome</option>
                        {PROCEDURE_OUTCOMES.map((outcome) => (
                          <option key={outcome} value={outcome}>
                            {OUTCOME_LABELS[outcome]}
                          </option>
                        ))}
                      </select>
                    </label>
                  </>
                )}
                {text('article', 'Article', { placeholder: 'slug the reply must cite' })}
                {text('language', 'Language', { placeholder: 'any, or en, zh…' })}
              </div>
              <div className="grid grid-cols-2 gap-3">
                {text('facts', 'Must mention', { rows: 3, describedBy: `${ids}-patterns` })}
                {text('forbid', 'Must not mention', { rows: 3, describedBy: `${ids}-patterns` })}
              </div>
              <p id={`${ids}-patterns`} className="text-xs text-ink-500">
                One regular expression per line, matched on the last reply whatever its case.
              </p>
              <div className="grid grid-cols-2 gap-3">
                {text('toolName', 'Tool', { placeholder: 'lookup_order' })}
                {text('toolArgs', 'Tool arguments', { placeholder: '{"order": "1001"}' })}
              </div>
            </fieldset>
            <div className="flex gap-2">
              <button type="submit" disabled={busy} className={buttonClass}>
                Save case
              </button>
              <Dialog.Close asChild>
                <button type="button" className={secondaryButtonClass}>
                  Cancel
                </button>
              </Dialog.Close>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  describedBy?: string;
  placeholder?: string;
  readOnly?: boolean;
  required?: boolean;
  children?: ReactNode;
}

/** A labelled text input (or, with `rows`, a text area) in the form's monospaced style. */
function TextField({
  label,
  value,
  onChange,
  rows,
  describedBy,
  children,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const props = {
    ...rest,
    id,
    value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
    'aria-describedby': describedBy,
    className: `${inputClass} mt-1 w-full font-mono read-only:bg-gray-50`,
  };
  return (
    <label htmlFor={id} className="block">
      {label}
      {rows ? <textarea rows={rows} {...props} /> : <input {...props} />}
      {children}
    </label>
  );
}
