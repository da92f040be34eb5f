'use client';

import { ESCALATION_REASONS, escalationReasonLabel } from '@/lib/conversations/escalation-reasons';
import { VALUE_TYPES } from '@/lib/procedures/definition';
import { inputClass, secondaryButtonClass } from '../use-action';
import { blankCondition, ConditionEditor } from './condition-editor';
import { Field, FieldError, invalidProps, LinesInput, type Problems } from './fields';
import type { ActionChoice, Condition, ProcedureStepInput, StepType } from './types';

export const STEP_TYPES: { type: StepType; label: string }[] = [
  { type: 'say', label: 'Say something' },
  { type: 'ask', label: 'Ask for a value' },
  { type: 'call', label: 'Call an action' },
  { type: 'branch', label: 'Branch on a condition' },
  { type: 'hand_off', label: 'Hand off to the team' },
  { type: 'end', label: 'End' },
];

const VALUE_TYPE_LABELS: Record<(typeof VALUE_TYPES)[number], string> = {
  string: 'text',
  number: 'number',
  boolean: 'yes/no',
  choice: 'one of a list',
  date: 'date',
};

/** A new step of a type, keeping the id it had. */
export function blankStep(type: StepType, id: string): ProcedureStepInput {
  switch (type) {
    case 'say':
      return { id, type, text: '' };
    case 'ask':
      return { id, type, value: '', prompt: '', valueType: 'string' };
    case 'call':
      return { id, type, action: '', input: {}, result: '' };
    case 'branch':
      return { id, type, cases: [{ when: blankCondition(), goto: '' }] };
    case 'hand_off':
      return { id, type, reason: 'customer_request' };
    case 'end':
      return { id, type };
  }
}

/** An optional text: empty means absent. */
const optional = (text: string) => (text === '' ? undefined : text);

function without<T extends object>(step: T, change: Partial<T>): T {
  const next = { ...step, ...change };
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) delete (next as Record<string, unknown>)[key];
  }
  return next;
}

/**
 * One step of a procedure: its kind, id and position, and the fields of its kind, each with the
 * problems the server found in it.
 */
export function StepEditor({
  step,
  index,
  count,
  stepIds,
  actions,
  valuesListId,
  problems,
  onChange,
  onMove,
  onRemove,
}: {
  step: ProcedureStepInput;
  index: number;
  count: number;
  /** Every step's id, for branch targets. */
  stepIds: string[];
  actions: ActionChoice[];
  valuesListId: string;
  problems: Problems;
  onChange: (step: ProcedureStepInput) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = `steps.${index}`;
  const label = `Step ${index + 1}`;
  const set = <S extends ProcedureStepInput>(change: Partial<S>) =>
    onChange(without(step as S, change));

  return (
    <fieldset
      aria-label={label}
      className="space-y-3 rounded-md border border-gray-200 bg-white p-3"
    >
      <legend className="px-1 text-sm font-medium">
        {label}
        <span className="ml-2 font-normal text-ink-500">
          {STEP_TYPES.find((t) => t.type === step.type)?.label}
        </span>
      </legend>
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Kind" problems={problems} field={`${at}.type`}>
          <select
            value={step.type}
            onChange={(e) => onChange(blankStep(e.target.value as StepType, step.id))}
            className={inputClass}
          >
            {STEP_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Step id" problems={problems} field={`${at}.id`}>
          <input
            value={step.id}
            onChange={(e) => set({ id: e.target.value })}
            className={`${inputClass} font-mono`}
            {...invalidProps(problems, `${at}.id`)}
          />
        </Field>
        <div className="ml-auto flex gap-2 text-sm">
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={index === 0}
            aria-label={`Move step ${index + 1} up`}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={index === count - 1}
            aria-label={`Move step ${index + 1} down`}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="text-red-700 underline"
            aria-label={`Remove step ${index + 1}`}
            onClick={onRemove}
          >
            Remove
          </button>
        </div>
      </div>

      {step.type === 'say' && (
        <Field label="Text" problems={problems} field={`${at}.text`}>
          <textarea
            rows={2}
            value={step.text}
            onChange={(e) => set({ text: e.target.value })}
            className={inputClass}
            {...invalidProps(problems, `${at}.text`)}
          />
        </Field>
      )}

      {step.type === 'ask' && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Question"
            problems={problems}
            field={`${at}.prompt`}
            className="sm:col-span-2"
          >
            <textarea
              rows={2}
              value={step.prompt}
              onChange={(e) => set({ prompt: e.target.value })}
              className={inputClass}
              {...invalidProps(problems, `${at}.prompt`)}
            />
          </Field>
          <Field label="Keep the answer as" problems={problems} field={`${at}.value`}>
            <input
              value={step.value}
              placeholder="order_number"
              onChange={(e) => set({ value: e.target.value })}
              className={`${inputClass} font-mono`}
              {...invalidProps(problems, `${at}.value`)}
            />
          </Field>
          <Field label="Answer type" problems={problems} field={`${at}.valueType`}>
            <select
              value={step.valueType ?? 'string'}
              onChange={(e) => {
                const valueType = e.target.value as (typeof VALUE_TYPES)[number];
                set({
                  valueType,
                  pattern: valueType === 'string' ? step.pattern : undefined,
                  choices: valueType === 'choice' ? (step.choices ?? []) : undefined,
                });
              }}
              className={inputClass}
            >
              {VALUE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {VALUE_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          {(step.valueType ?? 'string') === 'string' && (
            <Field
              label="Pattern (regular expression, optional)"
              problems={problems}
              field={`${at}.pattern`}
            >
              <input
                value={step.pattern ?? ''}
                placeholder="#?PC\d{6}"
                onChange={(e) => set({ pattern: optional(e.target.value) })}
                className={`${inputClass} font-mono`}
                {...invalidProps(problems, `${at}.pattern`)}
              />
            </Field>
          )}
          {step.valueType === 'choice' && (
            <Field label="Choices (one a line)" problems={problems} field={`${at}.choices`}>
              <LinesInput
                value={step.choices ?? []}
                onChange={(choices) => set({ choices })}
                className={inputClass}
                {...invalidProps(problems, `${at}.choices`)}
              />
            </Field>
          )}
          <Field
            label="Asked again when a reply holds no answer (optional)"
            problems={problems}
            field={`${at}.retryPrompt`}
          >
            <input
              value={step.retryPrompt ?? ''}
              onChange={(e) => set({ retryPrompt: optional(e.target.value) })}
              className={inputClass}
              {...invalidProps(problems, `${at}.retryPrompt`)}
            />
          </Field>
          <Field label="Tries before handing off" problems={problems} field={`${at}.maxAttempts`}>
            <input
              type="number"
              min={1}
              max={10}
              value={step.maxAttempts ?? ''}
              placeholder="3"
              onChange={(e) =>
                set({ maxAttempts: e.target.value === '' ? undefined : Number(e.target.value) })
              }
              className={inputClass}
              {...invalidProps(problems, `${at}.maxAttempts`)}
            />
          </Field>
        </div>
      )}

      {step.type === 'call' && (
        <CallFields
          step={step}
          at={at}
          actions={actions}
          valuesListId={valuesListId}
          problems={problems}
          set={set}
        />
      )}

      {step.type === 'branch' && (
        <div className="space-y-3">
          {step.cases.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: cases are edited in place, by position
            <div key={i} className="space-y-2 rounded border p-2">
              <ConditionEditor
                condition={c.when as Condition}
                onChange={(when) =>
                  set({ cases: step.cases.map((x, j) => (j === i ? { ...x, when } : x)) })
                }
                field={`${at}.cases.${i}.when`}
                problems={problems}
                valuesListId={valuesListId}
                label={`${label} case ${i + 1}`}
              />
              <div className="flex items-end gap-2">
                <Field label="Then go to" problems={problems} field={`${at}.cases.${i}.goto`}>
                  <StepTarget
                    value={c.goto}
                    stepIds={stepIds}
                    self={step.id}
                    onChange={(goto) =>
                      set({ cases: step.cases.map((x, j) => (j === i ? { ...x, goto } : x)) })
                    }
                    invalid={invalidProps(problems, `${at}.cases.${i}.goto`)}
                  />
                </Field>
                {step.cases.length > 1 && (
                  <button
                    type="button"
                    className="text-sm text-red-700 underline"
                    onClick={() => set({ cases: step.cases.filter((_, j) => j !== i) })}
                  >
                    Remove case {i + 1}
                  </button>
                )}
              </div>
            </div>
          ))}
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => set({ cases: [...step.cases, { when: blankCondition(), goto: '' }] })}
          >
            Add a case
          </button>
          <Field label="When no case holds, go to" problems={problems} field={`${at}.otherwise`}>
            <StepTarget
              value={step.otherwise ?? ''}
              stepIds={stepIds}
              self={step.id}
              empty="the next step"
              onChange={(otherwise) => set({ otherwise: optional(otherwise) })}
              invalid={invalidProps(problems, `${at}.otherwise`)}
            />
          </Field>
          <FieldError problems={problems} field={`${at}.cases`} />
        </div>
      )}

      {step.type === 'hand_off' && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Reason" problems={problems} field={`${at}.reason`}>
            <select
              value={step.reason}
              onChange={(e) =>
                set({ reason: e.target.value as (typeof ESCALATION_REASONS)[number] })
              }
              className={inputClass}
            >
              {ESCALATION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {escalationReasonLabel(r)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Note for the agent (optional)" problems={problems} field={`${at}.note`}>
            <input
              value={step.note ?? ''}
              onChange={(e) => set({ note: optional(e.target.value) })}
              className={inputClass}
            />
          </Field>
          <Field
            label="Told to the customer (optional)"
            problems={problems}
            field={`${at}.text`}
            className="sm:col-span-2"
          >
            <textarea
              rows={2}
              value={step.text ?? ''}
              onChange={(e) => set({ text: optional(e.target.value) })}
              className={inputClass}
              {...invalidProps(problems, `${at}.text`)}
            />
          </Field>
        </div>
      )}

      {step.type === 'end' && (
        <Field label="Closing words (optional)" problems={problems} field={`${at}.text`}>
          <textarea
            rows={2}
            value={step.text ?? ''}
            onChange={(e) => set({ text: optional(e.target.value) })}
            className={inputClass}
            {...invalidProps(problems, `${at}.text`)}
          />
        </Field>
      )}

      {/* Problems of the step as a whole (unreachable), or of fields not shown for its kind. */}
      {problems
        .within(at)
        .filter((p) => !SHOWN.test(p.field.slice(at.length)))
        .map((p) => (
          <p key={p.field + p.message} className="text-xs text-red-700">
            {p.field === at ? p.message : `${p.field.slice(at.length + 1)}: ${p.message}`}
          </p>
        ))}
    </fieldset>
  );
}

/** The fields every kind shows its own problems under. */
const SHOWN =
  /^\.(id|type|text|prompt|value|valueType|pattern|choices|retryPrompt|maxAttempts|action|input\.[a-z0-9_]+|result|declinedText|reason|note|otherwise|cases|cases\.\d+\.goto|cases\.\d+\.when(\..*)?)$/;

function StepTarget({
  value,
  stepIds,
  self,
  empty,
  onChange,
  invalid,
}: {
  value: string;
  stepIds: string[];
  self: string;
  empty?: string;
  onChange: (id: string) => void;
  invalid: ReturnType<typeof invalidProps>;
}) {
  const ids = stepIds.filter((id) => id && id !== self);
  return (
    <select
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className={`${inputClass} font-mono`}
      {...invalid}
    >
      <option value="">{empty ?? 'choose a step'}</option>
      {value && !ids.includes(value) && <option value={value}>{value} (no such step)</option>}
      {ids.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </select>
  );
}

function CallFields({
  step,
  at,
  actions,
  valuesListId,
  problems,
  set,
}: {
  step: Extract<ProcedureStepInput, { type: 'call' }>;
  at: string;
  actions: ActionChoice[];
  valuesListId: string;
  problems: Problems;
  set: (change: Partial<Extract<ProcedureStepInput, { type: 'call' }>>) => void;
}) {
  const action = actions.find((a) => a.name === step.action);
  const mapped = action ? action.inputs.filter((i) => !i.fromCustomer).map((i) => i.name) : [];
  // Inputs the step maps that the action does not take still show, with the server's problem.
  const names = [...new Set([...mapped, ...Object.keys(step.input)])];
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label="Action" problems={problems} field={`${at}.action`}>
        <select
          value={step.action}
          onChange={(e) => {
            const next = actions.find((a) => a.name === e.target.value);
            // Keep the mappings of inputs the newly chosen action also takes.
            const input = Object.fromEntries(
              Object.entries(step.input).filter(([name]) =>
                next?.inputs.some((i) => i.name === name && !i.fromCustomer),
              ),
            );
            set({ action: e.target.value, input });
          }}
          className={inputClass}
          {...invalidProps(problems, `${at}.action`)}
        >
          <option value="">choose an action</option>
          {step.action && !action && (
            <option value={step.action}>{step.action} (not defined)</option>
          )}
          {actions.map((a) => (
            <option key={a.name} value={a.name}>
              {a.label} ({a.name}){a.enabled ? '' : ' · disabled'}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Keep the result as" problems={problems} field={`${at}.result`}>
        <input
          value={step.result}
          placeholder="order"
          onChange={(e) => set({ result: e.target.value })}
          className={`${inputClass} font-mono`}
          {...invalidProps(problems, `${at}.result`)}
        />
      </Field>
      {names.length > 0 && (
        <div className="space-y-2 sm:col-span-2">
          <p className="text-sm font-medium">Inputs, from the values collected so far</p>
          {names.map((name) => {
            const spec = action?.inputs.find((i) => i.name === name);
            return (
              <Field
                key={name}
                label={`${name}${spec?.required ? ' (required)' : ''}${spec?.description ? ` — ${spec.description}` : ''}`}
                problems={problems}
                field={`${at}.input.${name}`}
              >
                <input
                  list={valuesListId}
                  value={step.input[name] ?? ''}
                  placeholder="a value, e.g. order_number"
                  onChange={(e) => {
                    const input = { ...step.input };
                    if (e.target.value === '') delete input[name];
                    else input[name] = e.target.value;
                    set({ input });
                  }}
                  className={`${inputClass} font-mono`}
                  {...invalidProps(problems, `${at}.input.${name}`)}
                />
              </Field>
            );
          })}
        </div>
      )}
      {(action?.effect === 'write' || step.declinedText !== undefined) && (
        <Field
          label="Said when the customer declines (optional)"
          problems={problems}
          field={`${at}.declinedText`}
          className="sm:col-span-2"
        >
          <input
            value={step.declinedText ?? ''}
            onChange={(e) => set({ declinedText: optional(e.target.value) })}
            className={inputClass}
            {...invalidProps(problems, `${at}.declinedText`)}
          />
        </Field>
      )}
    </div>
  );
}
