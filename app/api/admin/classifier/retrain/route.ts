import { CLASSIFIER_KINDS, retrainClassifiers } from '@/lib/settings/classifier-admin';
import { staffRoute } from '../../../staff-route';
import { retrainRequest } from '../schema';

/** Retrains one classifier, or both; each result carries its held-out accuracy. */
export const POST = staffRoute(
  { role: 'admin', surface: 'classifier', body: retrainRequest },
  async ({ app, body: { kind } }) => {
    const results = await retrainClassifiers(app.database.db, kind ? [kind] : CLASSIFIER_KINDS);
    return Response.json({ results });
  },
);
