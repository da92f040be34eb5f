import { importExamples } from '@/lib/settings/classifier-admin';
import { readJsonBody } from '../../../read-json-body';
import { staffRoute } from '../../../staff-route';
import { exampleImport, IMPORT_BODY } from '../schema';

/** Adds labelled examples from JSON Lines; a bad line refuses the whole file, naming the line. */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const { kind, jsonl } = await readJsonBody(request, exampleImport, {
    surface: 'classifier_import',
    maxBytes: IMPORT_BODY,
  });
  return Response.json(await importExamples(app.database.db, kind, jsonl));
});
