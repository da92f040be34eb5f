'use client';

import { type ReactNode, useState } from 'react';
import type { FieldProblem } from '@/lib/errors';

/** The server's problems, looked up by the dotted field path it names them by. */
export class Problems {
  constructor(readonly all: FieldProblem[] = []) {}

  at(field: string): string[] {
    return this.all.filter((p) => p.field === field).map((p) => p.message);
  }

  /** Problems at `prefix` or inside it. */
  within(prefix: string): FieldProblem[] {
    return this.all.filter((p) => p.field === prefix || p.field.startsWith(`${prefix}.`));
  }
}

const errorId = (field: string) => `problem-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The attributes that tie an input to its problems, for screen readers and tests. */
export function invalidProps(problems: Problems, field: string) {
  const messages = problems.at(field);
  return messages.length > 0
    ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) }
    : {};
}

export function FieldError({ problems, field }: { problems: Problems; field: string }) {
  const messages = problems.at(field);
  if (messages.length === 0) return null;
  return (
    <p id={errorId(field)} className="text-xs text-red-700">
      {messages.join('; ')}
    </p>
  );
}

/** A labelled input with the problems of its field under it. */
export function Field({
  label,
  problems,
  field,
  children,
  className = '',
}: {
  label: string;
  problems: Problems;
  field: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`grid gap-1 text-sm ${className}`}>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label */}
      <label className="grid gap-1">
        {label}
        {children}
      </label>
      <FieldError problems={problems} field={field} />
    </div>
  );
}

export const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A list edited one item a line; the text is kept as typed so a new line can be started. */
export function LinesInput({
  value,
  onChange,
  rows = 3,
  className,
  ...rest
}: {
  value: string[];
  onChange: (lines: string[]) => void;
  rows?: number;
  className?: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}) {
  const [text, setText] = useState(value.join('\n'));
  return (
    <textarea
      {...rest}
      rows={rows}
      value={text}
      className={className}
      onChange={(e) => {
        setText(e.target.value);
        onChange(lines(e.target.value));
      }}
    />
  );
}
