import { z } from 'zod';
import {
  completeSetup,
  getSetupState,
  markStepVisited,
  SETUP_STEPS,
} from '@/lib/settings/desk-setup';
import { staffRoute } from '../../../staff-route';

const progress = z.union([
  z.object({ visited: z.enum(SETUP_STEPS) }).strict(),
  z.object({ complete: z.literal(true) }).strict(),
]);

/** Where the admin is in the setup wizard; null for a desk that never needed it. */
export const GET = staffRoute({ role: 'admin', surface: 'setup' }, async ({ app }) =>
  Response.json({ setup: await getSetupState(app.database.db) }),
);

/** A step seen (steps can be skipped and revisited), or the wizard finished. */
export const POST = staffRoute(
  { role: 'admin', surface: 'setup', body: progress },
  async ({ app, body }) =>
    Response.json({
      setup:
        'complete' in body
          ? await completeSetup(app.database.db)
          : await markStepVisited(app.database.db, body.visited),
    }),
);
