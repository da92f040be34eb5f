'use client';

import { type FormEvent, useId, useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, inputClass, useAction } from '../use-action';
import type { Action, TestResult } from './types';

function sampleValue(type: Action['inputs'][number]['type'], raw: string): unknown {
  if (type === 'number') return raw === '' ? undefined : Number(raw);
  if (type === 'boolean') return raw === '' ? undefined : raw === 'true';
  return raw === '' ? undefined : raw;
}

/**
 * Runs the action once with sample values; shows the request and the answer, secrets masked.
 * Its secret headers can be given values here first (write-only), as an imported action has none.
 */
export function ActionTest({
  action,
  onSecretsSaved,
}: {
  action: Action;
  /** After secret values were stored: the list reloads, so the action shows them as set. */
  onSecretsSaved: (names: string[]) => Promise<unknown>;
}) {
  const { run, busy, outcome } = useAction();
  const [result, setResult] = useState<TestResult | null>(null);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const formId = useId();
  const secretHeaders = action.http?.headers.filter((h) => h.secret) ?? [];

  function saveSecrets(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
    if (Object.keys(values).length === 0) return;
    void run(async () => {
      await adminRequest(`/api/admin/actions/${action.id}`, 'PATCH', { secrets: values });
      setSecrets({});
      await onSecretsSaved(Object.keys(values));
    });
  }
  const modelInputs = action.inputs.filter((i) => !i.fromCustomer);
  const identity = [
    ...new Set(action.inputs.flatMap((i) => (i.fromCustomer ? [i.fromCustomer] : []))),
  ];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = Object.fromEntries(
      modelInputs
        .map((i) => [i.name, sampleValue(i.type, String(form.get(`input.${i.name}`) ?? ''))])
        .filter(([, v]) => v !== undefined),
    );
    const customer = Object.fromEntries(
      identity.map((a) => [a, String(form.get(`customer.${a}`) ?? '')]).filter(([, v]) => v),
    );
    void run(async () =>
      setResult(
        await adminRequest<TestResult>(`/api/admin/actions/${action.id}/test`, 'POST', {
          input,
          customer,
        }),
      ),
    );
  }

  return (
    <section
      aria-label={`Test ${action.name}`}
      className="space-y-3 rounded-md border bg-white p-4"
    >
      <h2 className="font-medium">Test {action.label}</h2>
      {action.effect === 'write' && (
        <p className="rounded bg-amber-50 px-3 py-2 text-sm">
          This is a write: testing it really calls the service.
        </p>
      )}
      {secretHeaders.length > 0 && (
        <form
          onSubmit={saveSecrets}
          aria-label="Secret headers"
          className="grid gap-2 rounded bg-gray-50 p-3 text-sm sm:grid-cols-2"
        >
          <p className="sm:col-span-2">
            Secret header values are stored encrypted and never shown again; type one to set or
            replace it.
          </p>
          {secretHeaders.map((h) => (
            <label key={h.name} className="grid gap-1">
              <span>
                {h.name}{' '}
                <span className="text-ink-500">
                  {h.secret && h.set ? '(set; type to replace)' : '(no value yet)'}
                </span>
              </span>
              <input
                type="password"
                autoComplete="off"
                aria-label={`${h.name} secret value`}
                value={secrets[h.name] ?? ''}
                onChange={(e) => setSecrets((all) => ({ ...all, [h.name]: e.target.value }))}
                className={inputClass}
              />
            </label>
          ))}
          <div className="sm:col-span-2">
            <button
              type="submit"
              className={buttonClass}
              disabled={busy || Object.values(secrets).every((v) => v === '')}
            >
              Save secret values
            </button>
          </div>
        </form>
      )}
      <form onSubmit={submit} className="grid gap-2 text-sm sm:grid-cols-2">
        {modelInputs.map((i) => {
          const id = `${formId}-${i.name}`;
          const name = `input.${i.name}`;
          return (
            <div key={i.name} className="grid gap-1">
              <label htmlFor={id}>{i.name}</label>
              {i.type === 'enum' || i.type === 'boolean' ? (
                <select id={id} name={name} className={inputClass}>
                  <option value="" />
                  {(i.type === 'enum' ? (i.choices ?? []) : ['true', 'false']).map((c) => (
                    <option key={c} value={c}>
                      {i.type === 'boolean' ? (c === 'true' ? 'yes' : 'no') : c}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  name={name}
                  type={i.type === 'number' ? 'number' : 'text'}
                  className={inputClass}
                />
              )}
            </div>
          );
        })}
        {identity.map((a) => (
          <label key={a} className="grid gap-1">
            Sample customer {a}
            <input name={`customer.${a}`} className={inputClass} />
          </label>
        ))}
        <div className="sm:col-span-2">
          <button type="submit" className={buttonClass} disabled={busy}>
            Run test
          </button>
        </div>
      </form>
      {outcome}
      {result && (
        <div className="space-y-2 text-sm">
          <p role="status" className={result.ok ? 'text-green-800' : 'text-red-700'}>
            {result.ok ? `Succeeded (${result.response?.status})` : `Failed: ${result.error}`}
          </p>
          {result.request && (
            <div>
              <h3 className="font-medium">Request</h3>
              <pre className="overflow-x-auto rounded bg-gray-50 p-2 text-xs">
                {`${result.request.method} ${result.request.url}\n${Object.entries(
                  result.request.headers,
                )
                  .map(([k, v]) => `${k}: ${v}`)
                  .join('\n')}${result.request.body ? `\n\n${result.request.body}` : ''}`}
              </pre>
            </div>
          )}
          {result.response && (
            <div>
              <h3 className="font-medium">What the bot sees</h3>
              <pre className="overflow-x-auto rounded bg-gray-50 p-2 text-xs">
                {JSON.stringify(result.response.data, null, 2)}
              </pre>
            </div>
          )}
          {result.reply && (
            <p>
              <span className="font-medium">Offline reply: </span>
              {result.reply}
            </p>
          )}
          {result.raw && (
            <div>
              <h3 className="font-medium">Response</h3>
              <pre className="max-h-64 overflow-auto rounded bg-gray-50 p-2 text-xs">
                {result.raw.text}
                {result.raw.truncated ? '\n…' : ''}
              </pre>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
