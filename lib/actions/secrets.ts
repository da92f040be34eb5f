import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { TandemError } from '@/lib/errors';

/*
 * Secret header values (API keys, bearer tokens) are kept encrypted with AES-256-GCM under a key
 * derived from the desk's own secret, so a copy of the database alone does not reveal them. They
 * are decrypted only to send a request; nothing returns or logs them.
 */

const VERSION = 'v1';
/** What staff and API callers see instead of a secret header's value. */
export const SECRET_MASK = '••••••';

function keyFrom(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'tandem', 'actions:secret-headers', 32));
}

/** Encrypts one header's value, bound to the header's name so values cannot be swapped. */
export function encryptSecret(appSecret: string, headerName: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(appSecret), iv);
  cipher.setAAD(Buffer.from(headerName.toLowerCase()));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function decryptSecret(appSecret: string, headerName: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) {
    throw new TandemError('internal:action', 'A stored secret header is unreadable.');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFrom(appSecret),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(headerName.toLowerCase()));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    // The desk's secret changed since it was stored: the admin must enter the value again.
    throw new TandemError(
      'internal:action',
      `The secret header ${headerName} cannot be decrypted; enter its value again.`,
    );
  }
}

/**
 * The stored secrets after an edit: a header given a new value is encrypted; one left without a
 * value keeps what it had; a header no longer secret (or gone) loses its value.
 */
export function mergeSecrets(
  appSecret: string,
  stored: Record<string, string>,
  headers: { name: string; value?: string; secret: boolean }[],
): Record<string, string> {
  const next: Record<string, string> = {};
  for (const header of headers) {
    if (!header.secret) continue;
    const key = header.name.toLowerCase();
    if (header.value !== undefined && header.value !== '') {
      next[key] = encryptSecret(appSecret, key, header.value);
    } else if (stored[key]) {
      next[key] = stored[key];
    }
  }
  return next;
}

/** The same secret values sealed under another desk secret (a sandbox copying a desk's actions). */
export function resealSecrets(
  from: string,
  to: string,
  secrets: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secrets).map(([name, sealed]) => [
      name,
      encryptSecret(to, name, decryptSecret(from, name, sealed)),
    ]),
  );
}
