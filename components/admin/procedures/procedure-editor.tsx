'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { deskTestsRequest as fieldRequest, RequestError } from '../desk-tests/request';
import { buttonClass, inputClass, secondaryButtonClass, useAction } from '../use-action';
import { Field, invalidProps, LinesInput, Problems } from './fields';
import { blankStep, STEP_TYPES, StepEditor } from './step-editor';
import type {
  ActionChoice,
  EditedProcedure,
  ProcedureDetail,
  ProcedureStepInput,
  StepType,
} from './types';
import { VersionHistory } from './version-history';

const BLANK: EditedProcedure = { name: '', description: '', examples: [], steps: [] };

const editedOf = (detail: ProcedureDetail): EditedProcedure => ({
  name: detail.definition.name,
  description: detail.definition.description,
  examples: detail.definition.examples ?? [],
  steps: detail.definition.steps,
});

/** A new step id of a type that no step has yet: ask-1, ask-2… */
function freshId(type: StepType, steps: ProcedureStepInput[]): string {
  const base = type.replace('_', '-');
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!steps.some((s) => s.id === id)) return id;
  }
}

/** The values set before each step: what its texts, inputs and conditions may read. */
function valuesBefore(steps: ProcedureStepInput[], index: number): string[] {
  return steps
    .slice(0, index)
    .map((s) => (s.type === 'ask' ? s.value : s.type === 'call' ? s.result : ''))
    .filter(Boolean);
}

/** Where a problem is, in words: "Step 2 (ask-order) · pattern". */
function placeOf(field: string, steps: ProcedureStepInput[]): string {
  const match = /^steps\.(\d+)(?:\.(.*))?$/.exec(field);
  if (!match) return field;
  const index = Number(match[1]);
  const id = steps[index]?.id;
  return `Step ${index + 1}${id ? ` (${id})` : ''}${match[2] ? ` · ${match[2]}` : ''}`;
}

/**
 * Writing a procedure: its name, what it is for, phrasings, and its steps, in a form or as JSON.
 * Save draft stores it (checked by the server, each problem shown at its field); Publish makes the
 * saved draft the next version customers get.
 */
export function ProcedureEditor({
  id,
  actions,
  onChanged,
  onClose,
}: {
  id: string | null;
  actions: ActionChoice[];
  /** After a save or publish: the procedure as the server now holds it. */
  onChanged: (detail: ProcedureDetail) => void;
  onClose: () => void;
}) {
  const { run, busy, outcome } = useAction();
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [def, setDef] = useState<EditedProcedure>(BLANK);
  const [problems, setProblems] = useState(new Problems());
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  // Stable keys for the steps, so moving one keeps its inputs' state with it.
  const keys = useRef<number[]>([]);
  const nextKey = useRef(0);
  const [newType, setNewType] = useState<StepType>('ask');
  const [loadedVersion, setLoadedVersion] = useState(0);

  const show = useCallback((loaded: ProcedureDetail) => {
    setDetail(loaded);
    const edited = editedOf(loaded);
    keys.current = edited.steps.map(() => nextKey.current++);
    setDef(edited);
    setLoadedVersion((v) => v + 1);
  }, []);

  // Loaded once, when the editor opens on a saved procedure; later it shows what each save returns.
  const [openedOn] = useState(id);
  useEffect(() => {
    if (!openedOn) return;
    void run(async () =>
      show(await fieldRequest<ProcedureDetail>(`/api/admin/procedures/${openedOn}`)),
    );
  }, [openedOn, run, show]);

  const saved = detail ? editedOf(detail) : null;
  const dirty = !saved || JSON.stringify(saved) !== JSON.stringify(def);

  function setSteps(steps: ProcedureStepInput[], stepKeys: number[]) {
    keys.current = stepKeys;
    setDef((d) => ({ ...d, steps }));
  }

  /** The definition being edited; in the JSON view, parsed from its text. */
  function current(): EditedProcedure | null {
    if (mode === 'form') return def;
    try {
      const parsed = JSON.parse(json) as EditedProcedure;
      setJsonError(null);
      return parsed;
    } catch (e) {
      setJsonError(`The JSON cannot be read: ${(e as Error).message}`);
      return null;
    }
  }

  async function store(body: EditedProcedure): Promise<ProcedureDetail> {
    try {
      const result = await fieldRequest<ProcedureDetail>(
        detail ? `/api/admin/procedures/${detail.id}` : '/api/admin/procedures',
        detail ? 'PUT' : 'POST',
        body,
      );
      setProblems(new Problems());
      return result;
    } catch (e) {
      if (e instanceof RequestError) setProblems(new Problems(e.fields));
      throw e;
    }
  }

  function after(result: ProcedureDetail) {
    show(result);
    if (mode === 'json') setJson(JSON.stringify(editedOf(result), null, 2));
    onChanged(result);
    return result;
  }

  function saveDraft() {
    const body = current();
    if (!body) return;
    void run(
      async () => after(await store(body)),
      (r) => `Saved the draft of ${r.name} (version ${r.draftVersion}, not yet published).`,
    );
  }

  function publish() {
    const body = current();
    if (!body) return;
    void run(
      async () => {
        const stored = dirty || mode === 'json' || !detail ? await store(body) : detail;
        try {
          return after(
            await fieldRequest<ProcedureDetail>(
              `/api/admin/procedures/${stored.id}/publish`,
              'POST',
            ),
          );
        } catch (e) {
          if (e instanceof RequestError) setProblems(new Problems(e.fields));
          after(stored);
          throw e;
        }
      },
      (r) => `Published version ${r.publishedVersion} of ${r.name}.`,
    );
  }

  function switchMode() {
    if (mode === 'form') {
      setJson(JSON.stringify(def, null, 2));
      setJsonError(null);
      setMode('json');
      return;
    }
    const parsed = current();
    if (!parsed) return;
    const steps = Array.isArray(parsed.steps) ? parsed.steps : [];
    keys.current = steps.map(() => nextKey.current++);
    setDef({
      name: String(parsed.name ?? ''),
      description: String(parsed.description ?? ''),
      examples: Array.isArray(parsed.examples) ? parsed.examples.map(String) : [],
      steps,
    });
    setLoadedVersion((v) => v + 1);
    setMode('form');
  }

  const stepIds = def.steps.map((s) => s.id);

  return (
    <section
      aria-label="Procedure"
      className="space-y-4 rounded-md border border-gray-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="font-medium">{detail ? `Edit ${detail.name}` : 'New procedure'}</h2>
        {detail && (
          <span className="text-sm text-ink-500">
            {detail.publishedVersion === null
              ? 'not published yet'
              : `version ${detail.publishedVersion} is live`}
            {' · '}draft is version {detail.draftVersion}
            {dirty ? ' · unsaved changes' : ''}
          </span>
        )}
        <button type="button" className={`${secondaryButtonClass} ml-auto`} onClick={switchMode}>
          {mode === 'form' ? 'Edit as JSON' : 'Edit as form'}
        </button>
      </div>

      {problems.all.length > 0 && (
        <div role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">The procedure cannot be saved as it is:</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.all.map((p) => (
              <li key={p.field + p.message}>
                {placeOf(p.field, def.steps)}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      {mode === 'json' ? (
        <div className="grid gap-1 text-sm">
          <label className="grid gap-1">
            Definition (JSON)
            <textarea
              rows={24}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              className={`${inputClass} font-mono text-xs`}
              spellCheck={false}
            />
          </label>
          {jsonError && <p className="text-xs text-red-700">{jsonError}</p>}
        </div>
      ) : (
        <div key={loadedVersion} className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Name" problems={problems} field="name">
              <input
                value={def.name}
                disabled={detail !== null}
                placeholder="start_a_return"
                onChange={(e) => setDef((d) => ({ ...d, name: e.target.value }))}
                className={`${inputClass} font-mono`}
                {...invalidProps(problems, 'name')}
              />
            </Field>
            <Field
              label="Phrasings of the request (one a line)"
              problems={problems}
              field="examples"
            >
              <LinesInput
                value={def.examples}
                onChange={(examples) => setDef((d) => ({ ...d, examples }))}
                className={inputClass}
                {...invalidProps(problems, 'examples')}
              />
            </Field>
          </div>
          <Field label="What it handles" problems={problems} field="description">
            <textarea
              rows={2}
              value={def.description}
              onChange={(e) => setDef((d) => ({ ...d, description: e.target.value }))}
              className={inputClass}
              {...invalidProps(problems, 'description')}
            />
          </Field>

          <div className="space-y-3">
            <h3 className="font-medium">Steps</h3>
            <p className="text-xs text-ink-500">
              Followed in order. Texts may use collected values as <code>{'{order_number}'}</code>{' '}
              or results as <code>{'{order.order.status}'}</code>; the last step ends the procedure,
              hands it off or branches.
            </p>
            {problems.at('steps').map((m) => (
              <p key={m} className="text-xs text-red-700">
                {m}
              </p>
            ))}
            {def.steps.map((step, i) => {
              const key = keys.current[i] ?? i;
              return (
                <div key={key}>
                  <datalist id={`procedure-values-${key}`}>
                    {valuesBefore(def.steps, i).map((v) => (
                      <option key={v} value={v} />
                    ))}
                  </datalist>
                  <StepEditor
                    step={step}
                    index={i}
                    count={def.steps.length}
                    stepIds={stepIds}
                    actions={actions}
                    valuesListId={`procedure-values-${key}`}
                    problems={problems}
                    onChange={(next) =>
                      setSteps(
                        def.steps.map((s, j) => (j === i ? next : s)),
                        keys.current,
                      )
                    }
                    onMove={(by) => {
                      const steps = [...def.steps];
                      const stepKeys = [...keys.current];
                      [steps[i], steps[i + by]] = [steps[i + by]!, steps[i]!];
                      [stepKeys[i], stepKeys[i + by]] = [stepKeys[i + by]!, stepKeys[i]!];
                      // Problems name steps by position, which has changed.
                      setProblems(new Problems());
                      setSteps(steps, stepKeys);
                    }}
                    onRemove={() => {
                      setProblems(new Problems());
                      setSteps(
                        def.steps.filter((_, j) => j !== i),
                        keys.current.filter((_, j) => j !== i),
                      );
                    }}
                  />
                </div>
              );
            })}
            <div className="flex items-end gap-2">
              <label className="grid gap-1 text-sm">
                New step
                <select
                  value={newType}
                  onChange={(e) => setNewType(e.target.value as StepType)}
                  className={inputClass}
                >
                  {STEP_TYPES.map((t) => (
                    <option key={t.type} value={t.type}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className={secondaryButtonClass}
                onClick={() =>
                  setSteps(
                    [...def.steps, blankStep(newType, freshId(newType, def.steps))],
                    [...keys.current, nextKey.current++],
                  )
                }
              >
                Add step
              </button>
            </div>
          </div>
        </div>
      )}

      {outcome}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass} disabled={busy} onClick={saveDraft}>
          Save draft
        </button>
        <button
          type="button"
          className={buttonClass}
          disabled={busy || (detail?.draft === 'published' && !dirty)}
          onClick={publish}
        >
          {dirty ? 'Save and publish' : 'Publish'}
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onClose}>
          Close
        </button>
      </div>

      {detail && (
        <VersionHistory
          versions={detail.versions}
          onRestore={({ description, examples, steps, version }) => {
            setMode('form');
            setProblems(new Problems());
            keys.current = steps.map(() => nextKey.current++);
            setDef((d) => ({ ...d, description, examples, steps }));
            setLoadedVersion((v) => v + 1);
            void run(
              async () => undefined,
              `Loaded version ${version} into the draft: save it to keep it, publish it to make it live.`,
            );
          }}
        />
      )}
    </section>
  );
}
