import { importExamples } from '@/lib/settings/classifier-admin';
import { staffRoute } from '../../../staff-route';
import { exampleImport, IMPORT_BODY } from '../schema';

/** Adds labelled examples from JSON Lines; a bad line refuses the whole file, naming the line. */
export const POST = staffRoute(
  { role: 'admin', surface: 'classifier_import', body: exampleImport, maxBytes: IMPORT_BODY },
  async ({ app, body }) =>
    Response.json(await importExamples(app.database.db, body.kind, body.jsonl)),
);
