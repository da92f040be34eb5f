import { type FieldProblem, invalidFields } from '@/lib/errors';
import { type DeskTestCase, deskTestCaseSchema } from './case';

/** Enough problems to fix a file in one go without flooding the screen. */
const MAX_PROBLEMS = 50;

/**
 * The cases of a JSON Lines suite, one per non-blank line. Every problem is reported with its
 * line (bad JSON, a field that does not validate, an id used twice), as one error listing them.
 */
export function parseCasesJsonl(source: string): DeskTestCase[] {
  const cases: DeskTestCase[] = [];
  const problems: FieldProblem[] = [];
  const lineOfId = new Map<string, number>();
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (!raw.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({
        field: `line ${line}`,
        message: `is not JSON (${(error as Error).message})`,
      });
      continue;
    }
    const parsed = deskTestCaseSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        problems.push({
          field: path ? `line ${line}: ${path}` : `line ${line}`,
          message: issue.message,
        });
      }
      continue;
    }
    const earlier = lineOfId.get(parsed.data.id);
    if (earlier !== undefined) {
      problems.push({
        field: `line ${line}: id`,
        message: `"${parsed.data.id}" is already the id of line ${earlier}`,
      });
      continue;
    }
    lineOfId.set(parsed.data.id, line);
    cases.push(parsed.data);
  }
  if (problems.length > 0) throw invalidFields('desk_tests', problems.slice(0, MAX_PROBLEMS));
  return cases;
}

/** A suite as JSON Lines, one case per line in the order given, re-importable as it is. */
export function formatCasesJsonl(cases: readonly DeskTestCase[]): string {
  return cases.map((c) => `${JSON.stringify(c)}\n`).join('');
}
