import { addArticleCases } from '@/lib/desk-tests/from-articles';
import { staffRoute } from '../../../staff-route';
import { auditDeskTests } from '../audit';

/**
 * Adds a starter case for each knowledge-base article that has none yet (a customer asks about
 * its title; the reply must answer and cite it), and answers with every article's case id, for
 * a run of just those.
 */
export const POST = staffRoute({ role: 'admin', surface: 'desk_tests' }, async ({ app, staff }) => {
  const { caseIds, created } = await addArticleCases(app.database.db);
  const headers = await auditDeskTests(app, staff, 'desk_tests.drafted', undefined, {
    from: 'articles',
    created,
  });
  return Response.json({ caseIds, created }, { headers });
});
