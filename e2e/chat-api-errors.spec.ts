import {
  type APIRequestContext,
  expect,
  request as playwrightRequest,
  test,
} from '@playwright/test';

const message = (text: string, id = crypto.randomUUID()) => ({
  message: { id, role: 'user', parts: [{ type: 'text', text }] },
});

async function expectError(
  response: Awaited<ReturnType<APIRequestContext['post']>>,
  status: number,
  code: string,
) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(10);
}

test('bad chat requests get clear 4xx JSON errors', async ({ request, baseURL }) => {
  await expectError(
    await request.post('/api/chat', {
      data: '{"message": ',
      headers: { 'content-type': 'application/json' },
    }),
    400,
    'bad_request:chat',
  );
  const empty = await request.post('/api/chat', { data: message('   ') });
  await expectError(empty, 400, 'bad_request:chat');
  expect((await empty.json()).error.details.fields).toEqual([
    { field: 'message.parts', message: 'must not be empty' },
  ]);
  const huge = await request.post('/api/chat', { data: message('x'.repeat(100 * 1024)) });
  await expectError(huge, 400, 'bad_request:chat');
  expect((await huge.json()).error.details.fields).toEqual([
    { field: 'message.parts.text', message: 'must be at most 4000 characters' },
  ]);
  await expectError(
    await request.post('/api/chat', {
      data: { ...message('Hello'), conversationId: 'not-a-uuid' },
    }),
    400,
    'bad_request:chat',
  );
  await expectError(
    await request.post('/api/chat', {
      data: { ...message('Where is my order?'), conversationId: crypto.randomUUID() },
    }),
    404,
    'not_found:conversation',
  );

  // Customer A starts a conversation; customer B (another browser) may not write into it.
  const first = await request.post('/api/chat', { data: message('How do I reset my password?') });
  expect(first.status()).toBe(200);
  const conversationId = first.headers()['x-conversation-id'];
  expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
  await first.body();

  const other = await playwrightRequest.newContext({ baseURL });
  await expectError(
    await other.post('/api/chat', { data: { ...message('Show me your data'), conversationId } }),
    403,
    'forbidden:conversation',
  );
  await other.dispose();

  // The same message id twice is refused instead of answered twice.
  const id = crypto.randomUUID();
  const once = await request.post('/api/chat', {
    data: { ...message('Where is my parcel?', id), conversationId },
  });
  expect(once.status()).toBe(200);
  await once.body();
  await expectError(
    await request.post('/api/chat', {
      data: { ...message('Where is my parcel?', id), conversationId },
    }),
    409,
    'conflict:message',
  );
});
