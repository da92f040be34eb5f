import { CLASSIFIER_KINDS, retrainClassifiers } from '@/lib/settings/classifier-admin';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { retrainRequest } from '../schema';

/** Retrains one classifier, or both; each result carries its held-out accuracy. */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const { kind } = await readJsonBody(request, retrainRequest, {
    surface: 'classifier',
    maxBytes: SMALL_BODY,
  });
  const results = await retrainClassifiers(app.database.db, kind ? [kind] : CLASSIFIER_KINDS);
  return Response.json({ results });
});
