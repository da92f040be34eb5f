import { actionJson, apiActionImportBody } from '@/app/api/v1/_lib/actions';
import { actionDepsOf } from '@/lib/actions/calls';
import { importActions } from '@/lib/actions/manage';
import { apiRoute } from '../../api-route';

/** Creates the chosen operations of an OpenAPI 3 document as actions, turned off. */
export const POST = apiRoute(
  { scope: 'admin', surface: 'action', body: apiActionImportBody, maxBytes: 2 * 1024 * 1024 },
  async ({ app, caller, body }) => {
    const created = await importActions(
      actionDepsOf(app),
      { type: 'api', id: caller.keyId, name: caller.name },
      { url: body.url, document: body.document, baseUrl: body.base_url },
      body.operations,
    );
    return Response.json({ data: created.map(actionJson) }, { status: 201 });
  },
);
