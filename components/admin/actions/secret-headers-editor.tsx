'use client';

import { inputClass, secondaryButtonClass } from '../use-action';

/** A header as the server shows it: a secret one says only whether it has a value. */
export type ShownHeader =
  | { name: string; secret: false; value: string }
  | { name: string; secret: true; set: boolean };

/** A header being edited: a secret one has a new value only when the admin typed one. */
export type EditedHeader = { name: string; secret: boolean; value: string; set: boolean };

export function editedHeaders(headers: readonly ShownHeader[]): EditedHeader[] {
  return headers.map((h) =>
    h.secret
      ? { name: h.name, secret: true, value: '', set: h.set }
      : { name: h.name, secret: false, value: h.value, set: false },
  );
}

/** The headers to send: a secret one without a new value keeps its stored one on the server. */
export function headersToSave(headers: readonly EditedHeader[]) {
  return headers.map((h) =>
    h.secret
      ? { name: h.name.trim(), secret: true, ...(h.value ? { value: h.value } : {}) }
      : { name: h.name.trim(), secret: false, value: h.value },
  );
}

/**
 * The rows of headers an action or an MCP connector sends. Secret values are write-only: a
 * stored one shows as set and is replaced only when a new value is typed.
 */
export function SecretHeadersEditor({
  headers,
  onChange,
  newSecret,
}: {
  headers: EditedHeader[];
  onChange: (headers: EditedHeader[]) => void;
  /** Whether an added header starts as a secret (a connector's usually carry a credential). */
  newSecret: boolean;
}) {
  const setHeader = (i: number, change: Partial<EditedHeader>) =>
    onChange(headers.map((h, j) => (j === i ? { ...h, ...change } : h)));
  return (
    <>
      {headers.map((h, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
          key={i}
          className="grid items-end gap-2 text-sm sm:grid-cols-[12rem_1fr_auto_auto]"
        >
          <label className="grid gap-1">
            Header
            <input
              value={h.name}
              onChange={(e) => setHeader(i, { name: e.target.value })}
              className={inputClass}
              required
            />
          </label>
          <label className="grid gap-1">
            {h.secret
              ? h.set
                ? 'New secret value (leave empty to keep)'
                : 'Secret value'
              : 'Value'}
            <input
              type={h.secret ? 'password' : 'text'}
              autoComplete="off"
              value={h.value}
              placeholder={h.secret && h.set ? '•••••• set' : ''}
              onChange={(e) => setHeader(i, { value: e.target.value })}
              className={inputClass}
            />
          </label>
          <label className="flex items-center gap-1 pb-2">
            <input
              type="checkbox"
              checked={h.secret}
              onChange={(e) => setHeader(i, { secret: e.target.checked, value: '' })}
            />
            Secret
          </label>
          <button
            type="button"
            className="pb-2 text-red-700 underline"
            onClick={() => onChange(headers.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className={secondaryButtonClass}
        onClick={() =>
          onChange([...headers, { name: '', secret: newSecret, value: '', set: false }])
        }
      >
        Add header
      </button>
    </>
  );
}
