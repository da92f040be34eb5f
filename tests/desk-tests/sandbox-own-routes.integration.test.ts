import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_ROUTES } from '@/app/api/own-routes';
import { parseConfig } from '@/lib/config';
import { parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import { runDeskTests } from '@/lib/server/desk-tests';

/*
 * The demo's actions call the shop at the desk's own address. A desk-test sandbox serves no
 * HTTP, so it answers those routes in-process on its own database, and a sandbox's copy of a
 * site user acts as that user: the demo suite's action and procedure cases run there as they
 * would on the live desk. Without the routes the same cases cannot reach the shop.
 */

const IDS = ['tool-alice-start-return', 'proc-alice-outside-window', 'proc-ben-changes-mind'];

async function demoCases() {
  const file = path.join(process.cwd(), 'content', 'tests', 'demo-desk.jsonl');
  return parseCasesJsonl(await readFile(file, 'utf8')).filter((c) => IDS.includes(c.id));
}

describe('the demo suite’s action and procedure cases in a sandbox', () => {
  it('pass with the desk’s own routes served in-process, and fail without them', async () => {
    const cases = await demoCases();
    expect(cases.map((c) => c.id).sort()).toEqual([...IDS].sort());
    const config = parseConfig({ LOG_LEVEL: 'silent' });
    const served = await runDeskTests({ demoWith: config }, cases, { ownRoutes: OWN_ROUTES });
    const failures = served.results
      .filter((r) => r.passes < r.attempts.length)
      .map((r) => `${r.case.id}: ${JSON.stringify(r.attempts[0])}`);
    expect(failures).toEqual([]);

    const unserved = await runDeskTests({ demoWith: config }, cases);
    const lookup = unserved.results.find((r) => r.case.id === 'proc-alice-outside-window');
    expect(lookup?.passes).toBe(0);
  }, 240_000);
});
