'use client';

import { type FormEvent, useState } from 'react';
import { buttonClass, inputClass, secondaryButtonClass } from '../use-action';
import {
  type EditedHeader,
  editedHeaders,
  headersToSave,
  SecretHeadersEditor,
} from './secret-headers-editor';
import { type Action, type ActionInputSpec, CUSTOMER_ATTRIBUTES, type HttpSpec } from './types';

const blankInput = (): ActionInputSpec => ({
  name: '',
  type: 'string',
  description: '',
  required: true,
});

const blankHttp: HttpSpec = {
  method: 'GET',
  url: 'https://',
  headers: [],
  body: null,
  responseFields: [],
  timeoutMs: 10_000,
  maxBytes: 262_144,
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Creating or editing an action (an MCP one keeps its tool; its allowlist and policies change). Secret header values are write-only: a stored one shows
 * as set, and is replaced only when a new value is typed.
 */
export function ActionForm({
  action,
  onSave,
  onCancel,
  busy,
}: {
  action: Action | null;
  onSave: (definition: Record<string, unknown>) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const http = action?.http ?? blankHttp;
  const [inputs, setInputs] = useState<ActionInputSpec[]>(action?.inputs ?? []);
  const [headers, setHeaders] = useState<EditedHeader[]>(editedHeaders(http.headers));
  const [bodyError, setBodyError] = useState<string | null>(null);

  const setInput = (i: number, change: Partial<ActionInputSpec>) =>
    setInputs((all) => all.map((input, j) => (j === i ? { ...input, ...change } : input)));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const bodyText = text('body').trim();
    let body: unknown = null;
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        setBodyError('The body template must be JSON.');
        return;
      }
    }
    setBodyError(null);
    const mcp = action?.mcp;
    const target = mcp
      ? {
          kind: 'mcp',
          mcp: { ...mcp, responseFields: lines(text('responseFields')) },
        }
      : {
          kind: 'http',
          http: {
            method: text('method'),
            url: text('url').trim(),
            headers: headersToSave(headers),
            body,
            responseFields: lines(text('responseFields')),
            timeoutMs: Number(text('timeoutMs')),
            maxBytes: Number(text('maxBytes')),
          },
        };
    onSave({
      ...target,
      name: text('name').trim(),
      label: text('label').trim(),
      description: text('description').trim(),
      effect: text('effect'),
      verifiedOnly: form.get('verifiedOnly') === 'on',
      needsApproval: form.get('needsApproval') === 'on',
      rateLimitPerHour: Number(text('rateLimitPerHour') || 0),
      enabled: action?.enabled ?? false,
      examples: lines(text('examples')),
      replyTemplate: text('replyTemplate').trim(),
      inputs: inputs.map((i) => ({
        name: i.name.trim(),
        type: i.type,
        description: i.description,
        required: i.required,
        ...(i.type === 'string' && i.pattern ? { pattern: i.pattern } : {}),
        ...(i.type === 'enum' ? { choices: i.choices ?? [] } : {}),
        ...(i.fromCustomer ? { fromCustomer: i.fromCustomer } : {}),
      })),
    });
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Action"
      className="space-y-4 rounded-md border bg-white p-4"
    >
      <h2 className="font-medium">{action ? `Edit ${action.name}` : 'New action'}</h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="grid gap-1 text-sm">
          Name (the tool name)
          <input name="name" required defaultValue={action?.name} className={inputClass} />
        </label>
        <label className="grid gap-1 text-sm">
          Label
          <input name="label" required defaultValue={action?.label} className={inputClass} />
        </label>
      </div>
      <label className="grid gap-1 text-sm">
        Description for the model
        <textarea
          name="description"
          required
          rows={2}
          defaultValue={action?.description}
          className={inputClass}
        />
      </label>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Inputs</legend>
        {inputs.map((input, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
          <div key={i} className="grid gap-2 rounded border p-2 text-sm sm:grid-cols-3">
            <label className="grid gap-1">
              Input name
              <input
                value={input.name}
                onChange={(e) => setInput(i, { name: e.target.value })}
                className={inputClass}
                required
              />
            </label>
            <label className="grid gap-1">
              Type
              <select
                value={input.type}
                onChange={(e) => setInput(i, { type: e.target.value as ActionInputSpec['type'] })}
                className={inputClass}
              >
                <option value="string">text</option>
                <option value="number">number</option>
                <option value="boolean">yes/no</option>
                <option value="enum">one of</option>
              </select>
            </label>
            <label className="grid gap-1">
              Filled from
              <select
                value={input.fromCustomer ?? ''}
                onChange={(e) =>
                  setInput(i, {
                    fromCustomer: (e.target.value || undefined) as ActionInputSpec['fromCustomer'],
                  })
                }
                className={inputClass}
              >
                <option value="">the model (the customer's words)</option>
                {CUSTOMER_ATTRIBUTES.map((a) => (
                  <option key={a} value={a}>
                    the verified customer's {a}
                  </option>
                ))}
              </select>
            </label>
            <label className="grid gap-1 sm:col-span-2">
              Description
              <input
                value={input.description}
                onChange={(e) => setInput(i, { description: e.target.value })}
                className={inputClass}
              />
            </label>
            {input.type === 'string' && (
              <label className="grid gap-1">
                Pattern (regular expression)
                <input
                  value={input.pattern ?? ''}
                  onChange={(e) => setInput(i, { pattern: e.target.value || undefined })}
                  className={inputClass}
                />
              </label>
            )}
            {input.type === 'enum' && (
              <label className="grid gap-1">
                Choices (comma-separated)
                <input
                  value={(input.choices ?? []).join(', ')}
                  onChange={(e) =>
                    setInput(i, {
                      choices: e.target.value
                        .split(',')
                        .map((c) => c.trim())
                        .filter(Boolean),
                    })
                  }
                  className={inputClass}
                />
              </label>
            )}
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={input.required}
                onChange={(e) => setInput(i, { required: e.target.checked })}
              />
              Required
            </label>
            <button
              type="button"
              className="justify-self-start text-red-700 underline"
              onClick={() => setInputs((all) => all.filter((_, j) => j !== i))}
            >
              Remove input
            </button>
          </div>
        ))}
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => setInputs((all) => [...all, blankInput()])}
        >
          Add input
        </button>
      </fieldset>

      {action?.mcp ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">MCP tool</legend>
          <p className="text-sm">
            Calls the tool <span className="font-mono">{action.mcp.tool}</span> of its connector,
            with the inputs as its arguments.
          </p>
          <label className="grid gap-1 text-sm">
            Result fields the bot may see (one JSON path a line, e.g. order.status)
            <textarea
              name="responseFields"
              rows={3}
              defaultValue={action.mcp.responseFields.join('\n')}
              className={`${inputClass} font-mono`}
            />
          </label>
        </fieldset>
      ) : (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Request</legend>
          <p className="text-xs text-ink-500">
            Use <code>{'{input.name}'}</code> and <code>{'{customer.site_user_id}'}</code>,{' '}
            <code>{'{customer.email}'}</code>, <code>{'{customer.name}'}</code> in the URL, header
            values and body.
          </p>
          <div className="grid gap-2 sm:grid-cols-[8rem_1fr]">
            <label className="grid gap-1 text-sm">
              Method
              <select name="method" defaultValue={http.method} className={inputClass}>
                {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <label className="grid gap-1 text-sm">
              URL
              <input name="url" required defaultValue={http.url} className={inputClass} />
            </label>
          </div>
          <SecretHeadersEditor headers={headers} onChange={setHeaders} newSecret={false} />
          <label className="grid gap-1 text-sm">
            JSON body template (not for GET)
            <textarea
              name="body"
              rows={3}
              defaultValue={http.body === null ? '' : JSON.stringify(http.body, null, 2)}
              className={`${inputClass} font-mono`}
            />
          </label>
          {bodyError && (
            <p role="alert" className="text-sm text-red-700">
              {bodyError}
            </p>
          )}
          <label className="grid gap-1 text-sm">
            Response fields the bot may see (one JSON path a line, e.g. order.status, items[].name)
            <textarea
              name="responseFields"
              rows={3}
              defaultValue={http.responseFields.join('\n')}
              className={`${inputClass} font-mono`}
            />
          </label>
          <div className="grid gap-2 sm:grid-cols-2">
            <label className="grid gap-1 text-sm">
              Timeout (ms)
              <input
                name="timeoutMs"
                type="number"
                min={100}
                max={30000}
                defaultValue={http.timeoutMs}
                className={inputClass}
              />
            </label>
            <label className="grid gap-1 text-sm">
              Largest answer (bytes)
              <input
                name="maxBytes"
                type="number"
                min={1}
                defaultValue={http.maxBytes}
                className={inputClass}
              />
            </label>
          </div>
        </fieldset>
      )}

      <fieldset className="grid gap-2 text-sm sm:grid-cols-2">
        <legend className="font-medium">Policies</legend>
        <label className="grid gap-1">
          Effect
          <select name="effect" defaultValue={action?.effect ?? 'read'} className={inputClass}>
            <option value="read">read (runs at once)</option>
            <option value="write">write (the customer confirms first)</option>
          </select>
        </label>
        <label className="grid gap-1">
          Calls per customer per hour (0: no limit)
          <input
            name="rateLimitPerHour"
            type="number"
            min={0}
            defaultValue={action?.rateLimitPerHour ?? 60}
            className={inputClass}
          />
        </label>
        <PolicyCheck
          name="verifiedOnly"
          label="Verified customers only"
          checked={action?.verifiedOnly ?? true}
        />
        <PolicyCheck
          name="needsApproval"
          label="Needs agent approval"
          checked={action?.needsApproval ?? false}
        />
      </fieldset>

      <label className="grid gap-1 text-sm">
        Example requests (one a line; how the offline model recognises a request)
        <textarea
          name="examples"
          rows={3}
          defaultValue={(action?.examples ?? []).join('\n')}
          className={inputClass}
        />
      </label>
      <label className="grid gap-1 text-sm">
        Reply template (offline model; e.g. Order {'{input.order_number}'} is{' '}
        {'{result.order.status}'}.)
        <input name="replyTemplate" defaultValue={action?.replyTemplate} className={inputClass} />
      </label>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={busy}>
          Save action
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function PolicyCheck({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label className="flex items-center gap-2">
      <input name={name} type="checkbox" defaultChecked={checked} />
      {label}
    </label>
  );
}
