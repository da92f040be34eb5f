import { type APIResponse, expect, test } from '@playwright/test';

/** Every /api error is JSON with a code and carries the request id, whatever failed. */
async function expectJsonError(response: APIResponse, status: number, code: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(response.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

test('an unknown /api path is a JSON 404, for any method', async ({ request }) => {
  await expectJsonError(await request.get('/api/no/such/thing'), 404, 'not_found:route');
  await expectJsonError(
    await request.post('/api/v2/messages', { data: { text: 'hello' } }),
    404,
    'not_found:route',
  );
  await expectJsonError(await request.delete('/api/nothing'), 404, 'not_found:route');
  await expectJsonError(await request.get('/api'), 404, 'not_found:route');
});

test('a method the route does not serve is a JSON 405 with Allow', async ({ request }) => {
  const get = await request.get('/api/v1/messages');
  const body = await expectJsonError(get, 405, 'method_not_allowed:route');
  expect(get.headers().allow).toBe('OPTIONS, POST');
  expect(body.error.message).toContain('/api/v1/messages does not accept GET');

  const put = await request.put('/api/health', { data: {} });
  await expectJsonError(put, 405, 'method_not_allowed:route');
  expect(put.headers().allow).toBe('GET, HEAD, OPTIONS');
});

test('a path or query that cannot be decoded is a JSON 400 naming the problem', async ({
  request,
}) => {
  const path = await expectJsonError(
    await request.get('/api/v1/tickets/%E0%A4%A'),
    400,
    'bad_request:url',
  );
  expect(path.error.message).toContain('"%E0%A4%A" is not well-formed percent-encoding');

  const nul = await expectJsonError(
    await request.get('/api/v1/kb/documents?q=%00'),
    400,
    'bad_request:url',
  );
  expect(nul.error.message).toContain('"q"');
  expect(nul.error.message).toContain('U+0000');

  // Also where no route would match, and on the widget's API.
  await expectJsonError(await request.get('/api/no/such/%FF'), 400, 'bad_request:url');
  await expectJsonError(
    await request.post('/api/chat?x=%00', { data: {} }),
    400,
    'bad_request:url',
  );
});

test('a request id the caller sends comes back on the error', async ({ request }) => {
  const response = await request.get('/api/no/such/thing', {
    headers: { 'x-request-id': 'e2e-trace-42' },
  });
  expect(response.status()).toBe(404);
  expect(response.headers()['x-request-id']).toBe('e2e-trace-42');
});
