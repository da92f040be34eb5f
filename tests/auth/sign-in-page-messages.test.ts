import { describe, expect, it } from 'vitest';
import { describeRefusal, describeSignInError } from '@/app/sign-in/sign-in-errors';

describe('what the sign-in page says', () => {
  it('tells a throttled person how many minutes to wait, from Retry-After', () => {
    expect(describeRefusal(429, '840', 'server words')).toBe(
      'Too many attempts; try again in 14 minutes.',
    );
    expect(describeRefusal(429, '30', undefined)).toBe('Too many attempts; try again in 1 minute.');
    expect(describeRefusal(429, null, 'Too many sign-in attempts; try again in 3 minutes.')).toBe(
      'Too many sign-in attempts; try again in 3 minutes.',
    );
  });

  it('shows the server’s reason for other refusals', () => {
    expect(
      describeRefusal(
        401,
        null,
        'This account has been deactivated. Ask an admin to reactivate it.',
      ),
    ).toBe('This account has been deactivated. Ask an admin to reactivate it.');
    expect(describeRefusal(401, null, undefined)).toBe(
      'That email and password do not match an agent or admin account.',
    );
    expect(describeRefusal(503, null, undefined)).toBe('Sign-in failed (503). Please try again.');
  });

  it('explains next-auth’s ?error= names, and nothing else gets through', () => {
    expect(describeSignInError('AccountDeactivated')).toContain('deactivated');
    expect(describeSignInError('constructor')).toBe('Sign-in did not work. Please try again.');
  });
});
