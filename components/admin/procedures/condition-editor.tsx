'use client';

import { inputClass, secondaryButtonClass } from '../use-action';
import { FieldError, invalidProps, type Problems } from './fields';
import type { Condition } from './types';

type Leaf = Extract<Condition, { op: string }>;
type Op = Leaf['op'];
type Operand = Leaf['operand'];

const OPS: { op: Op; label: string }[] = [
  { op: 'eq', label: 'is' },
  { op: 'neq', label: 'is not' },
  { op: 'lt', label: 'is less than' },
  { op: 'lte', label: 'is at most' },
  { op: 'gt', label: 'is more than' },
  { op: 'gte', label: 'is at least' },
  { op: 'in', label: 'is one of' },
  { op: 'exists', label: 'is present' },
  { op: 'within_days', label: 'is a date within days' },
];
const NUMERIC: Op[] = ['lt', 'lte', 'gt', 'gte', 'within_days'];

type Kind = 'test' | 'all' | 'any' | 'not';
const kindOf = (c: Condition): Kind =>
  'all' in c ? 'all' : 'any' in c ? 'any' : 'not' in c ? 'not' : 'test';

export const blankCondition = (): Condition => ({ value: '', op: 'eq', operand: '' });

/** The operand an operator takes, kept from the previous one where it still fits. */
function operandFor(op: Op, previous: Operand): Operand {
  if (op === 'exists') return undefined;
  if (op === 'in') return Array.isArray(previous) ? previous : [];
  if (NUMERIC.includes(op)) return typeof previous === 'number' ? previous : 0;
  return Array.isArray(previous) || previous === undefined ? '' : previous;
}

/** How an `is`/`is not` operand is typed: text, a number or yes/no. */
type OperandKind = 'text' | 'number' | 'boolean';
const operandKind = (operand: Operand): OperandKind =>
  typeof operand === 'number' ? 'number' : typeof operand === 'boolean' ? 'boolean' : 'text';

function convertOperand(operand: Operand, kind: OperandKind): Operand {
  if (kind === 'number') return Number(operand) || 0;
  if (kind === 'boolean') return operand === true || operand === 'true';
  return operand === undefined ? '' : String(operand);
}

/**
 * One condition of a branch: a test of a collected value (or a path into an action's result),
 * or all / any / not of further conditions, edited as a tree.
 */
export function ConditionEditor({
  condition,
  onChange,
  field,
  problems,
  valuesListId,
  label,
}: {
  condition: Condition;
  onChange: (condition: Condition) => void;
  /** Its path in the definition, e.g. steps.2.cases.0.when, where problems are reported. */
  field: string;
  problems: Problems;
  valuesListId: string;
  label: string;
}) {
  const kind = kindOf(condition);

  function changeKind(next: Kind) {
    if (next === kind) return;
    if (next === 'test') onChange(blankCondition());
    else if (next === 'not') onChange({ not: condition });
    else {
      const children = 'all' in condition ? condition.all : 'any' in condition ? condition.any : [];
      onChange(
        next === 'all'
          ? { all: children.length ? children : [condition] }
          : { any: children.length ? children : [condition] },
      );
    }
  }

  return (
    <fieldset aria-label={label} className="space-y-2 rounded border border-dashed p-2">
      <select
        aria-label={`${label}: kind`}
        value={kind}
        onChange={(e) => changeKind(e.target.value as Kind)}
        className={inputClass}
      >
        <option value="test">A value…</option>
        <option value="all">All of these hold</option>
        <option value="any">Any of these holds</option>
        <option value="not">This does not hold</option>
      </select>
      {'value' in condition && (
        <TestEditor
          leaf={condition}
          onChange={onChange}
          field={field}
          problems={problems}
          valuesListId={valuesListId}
          label={label}
        />
      )}
      {('all' in condition || 'any' in condition) && (
        <ConditionList
          list={'all' in condition ? condition.all : condition.any}
          onChange={(list) => onChange('all' in condition ? { all: list } : { any: list })}
          field={`${field}.${'all' in condition ? 'all' : 'any'}`}
          problems={problems}
          valuesListId={valuesListId}
          label={label}
        />
      )}
      {'not' in condition && (
        <ConditionEditor
          condition={condition.not}
          onChange={(inner) => onChange({ not: inner })}
          field={`${field}.not`}
          problems={problems}
          valuesListId={valuesListId}
          label={`${label}, negated`}
        />
      )}
      <FieldError problems={problems} field={field} />
    </fieldset>
  );
}

function ConditionList({
  list,
  onChange,
  field,
  problems,
  valuesListId,
  label,
}: {
  list: Condition[];
  onChange: (list: Condition[]) => void;
  field: string;
  problems: Problems;
  valuesListId: string;
  label: string;
}) {
  return (
    <div className="space-y-2 pl-3">
      {list.map((child, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: conditions are edited in place, by position
        <div key={i} className="space-y-1">
          <ConditionEditor
            condition={child}
            onChange={(next) => onChange(list.map((c, j) => (j === i ? next : c)))}
            field={`${field}.${i}`}
            problems={problems}
            valuesListId={valuesListId}
            label={`${label}, part ${i + 1}`}
          />
          {list.length > 1 && (
            <button
              type="button"
              className="text-xs text-red-700 underline"
              onClick={() => onChange(list.filter((_, j) => j !== i))}
            >
              Remove part {i + 1}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className={secondaryButtonClass}
        onClick={() => onChange([...list, blankCondition()])}
      >
        Add a part
      </button>
      <FieldError problems={problems} field={field} />
    </div>
  );
}

function TestEditor({
  leaf,
  onChange,
  field,
  problems,
  valuesListId,
  label,
}: {
  leaf: Leaf;
  onChange: (condition: Condition) => void;
  field: string;
  problems: Problems;
  valuesListId: string;
  label: string;
}) {
  const set = (change: Partial<Leaf>) => {
    const next: Leaf = { ...leaf, ...change };
    if (next.operand === undefined) delete next.operand;
    onChange(next);
  };
  const kind = operandKind(leaf.operand);
  return (
    <div className="grid gap-2 text-sm sm:grid-cols-3">
      <div className="grid gap-1">
        <input
          aria-label={`${label}: value`}
          placeholder="order.order.status"
          list={valuesListId}
          value={leaf.value}
          onChange={(e) => set({ value: e.target.value })}
          className={`${inputClass} font-mono`}
          {...invalidProps(problems, `${field}.value`)}
        />
        <FieldError problems={problems} field={`${field}.value`} />
      </div>
      <select
        aria-label={`${label}: test`}
        value={leaf.op}
        onChange={(e) => {
          const op = e.target.value as Op;
          set({ op, operand: operandFor(op, leaf.operand) });
        }}
        className={inputClass}
      >
        {OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {leaf.op !== 'exists' && (
        <div className="grid gap-1">
          {leaf.op === 'in' ? (
            <input
              aria-label={`${label}: one of (comma-separated)`}
              value={Array.isArray(leaf.operand) ? leaf.operand.join(', ') : ''}
              onChange={(e) =>
                set({
                  operand: e.target.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
              className={inputClass}
              {...invalidProps(problems, `${field}.operand`)}
            />
          ) : NUMERIC.includes(leaf.op) ? (
            <input
              type="number"
              aria-label={`${label}: ${leaf.op === 'within_days' ? 'days' : 'number'}`}
              value={typeof leaf.operand === 'number' ? leaf.operand : ''}
              onChange={(e) => set({ operand: Number(e.target.value) })}
              className={inputClass}
              {...invalidProps(problems, `${field}.operand`)}
            />
          ) : (
            <div className="flex gap-1">
              <select
                aria-label={`${label}: compared as`}
                value={kind}
                onChange={(e) =>
                  set({ operand: convertOperand(leaf.operand, e.target.value as OperandKind) })
                }
                className={inputClass}
              >
                <option value="text">text</option>
                <option value="number">number</option>
                <option value="boolean">yes/no</option>
              </select>
              {kind === 'boolean' ? (
                <select
                  aria-label={`${label}: operand`}
                  value={String(leaf.operand)}
                  onChange={(e) => set({ operand: e.target.value === 'true' })}
                  className={inputClass}
                >
                  <option value="true">yes</option>
                  <option value="false">no</option>
                </select>
              ) : (
                <input
                  aria-label={`${label}: operand`}
                  type={kind === 'number' ? 'number' : 'text'}
                  value={
                    typeof leaf.operand === 'string' || typeof leaf.operand === 'number'
                      ? leaf.operand
                      : ''
                  }
                  onChange={(e) =>
                    set({
                      operand: kind === 'number' ? Number(e.target.value) : e.target.value,
                    })
                  }
                  className={`${inputClass} flex-1`}
                  {...invalidProps(problems, `${field}.operand`)}
                />
              )}
            </div>
          )}
          <FieldError problems={problems} field={`${field}.operand`} />
        </div>
      )}
    </div>
  );
}
