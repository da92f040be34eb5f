import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Problems } from '@/components/admin/procedures/fields';
import { blankStep, STEP_TYPES, StepEditor } from '@/components/admin/procedures/step-editor';
import type { ProcedureStepInput } from '@/components/admin/procedures/types';
import { parseProcedure } from '@/lib/procedures/definition';

const returns = (
  JSON.parse(readFileSync(path.join(process.cwd(), 'content/demo/procedures.json'), 'utf8')) as {
    procedures: { steps: ProcedureStepInput[] }[];
  }
).procedures[0]!;

const ACTIONS = [
  {
    name: 'order_status',
    label: 'Order status',
    effect: 'read' as const,
    enabled: true,
    inputs: [
      { name: 'order_number', required: true, description: 'Like #PC104962' },
      { name: 'customer', required: true, description: '', fromCustomer: 'site_user_id' },
    ],
  },
];

function render(step: ProcedureStepInput, index: number, problems = new Problems()) {
  return renderToStaticMarkup(
    createElement(StepEditor, {
      step,
      index,
      count: returns.steps.length,
      stepIds: returns.steps.map((s) => s.id),
      actions: ACTIONS,
      valuesListId: 'values',
      problems,
      onChange: () => {},
      onMove: () => {},
      onRemove: () => {},
    }),
  );
}

describe('the step editor', () => {
  it('shows every field of the demo procedure’s steps', () => {
    const html = returns.steps.map((step, i) => render(step, i)).join('\n');
    // The ask step's pattern, the call's action and mapped input, the branch's condition values.
    expect(html).toContain('value="#?[Pp][Cc]\\d{6}"');
    expect(html).toMatch(/<option value="order_status" selected="">Order status \(order_status\)/);
    expect(html).toContain('value="order.order.status_label"');
    expect(html).toContain('value="Delivered"');
    // An action the page does not know is still shown, as not defined.
    expect(html).toContain('start_return (not defined)');
  });

  it('puts each problem from the server under its own field', () => {
    const ask = returns.steps[0]!;
    const html = render(
      ask,
      0,
      new Problems([
        { field: 'steps.0.pattern', message: 'must be a valid regular expression' },
        { field: 'steps.0', message: 'step "ask-order" can never be reached' },
      ]),
    );
    const pattern = html.indexOf('aria-invalid="true" aria-describedby="problem-steps-0-pattern"');
    const message = html.indexOf('id="problem-steps-0-pattern"');
    expect(pattern).toBeGreaterThan(-1);
    expect(message).toBeGreaterThan(pattern);
    expect(html.slice(message)).toMatch(/^[^<]*>must be a valid regular expression</);
    expect(html).toContain('step &quot;ask-order&quot; can never be reached');
    // The prompt has no problem, so it is not marked.
    expect(html.match(/aria-invalid/g)).toHaveLength(1);
  });

  it('starts each kind of step with the fields its schema needs', () => {
    for (const { type } of STEP_TYPES) {
      const step = blankStep(type, `${type}-1`);
      expect(step).toMatchObject({ id: `${type}-1`, type });
      render(step, 0);
    }
    // A blank say step and an end step make a procedure once the text is written.
    const say = { ...blankStep('say', 'hello'), text: 'Hello!' };
    expect(
      parseProcedure({
        name: 'hello',
        description: 'Greets.',
        steps: [say, blankStep('end', 'end')],
      }).steps,
    ).toHaveLength(2);
  });
});
