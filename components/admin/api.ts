/** Calls an admin API; resolves to its JSON, or throws with the server's own message. */
export async function adminRequest<T>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    cache: 'no-store',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const failure = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(failure?.error?.message ?? `The request failed (${response.status}).`);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}
