import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { AppContext } from '@/lib/context';
import { log } from '@/lib/log';
import { endPresence } from '@/lib/staff/presence';
import { findStaffWithPassword, type Role, revokeStaffSessions } from '@/lib/staff/queries';
import { verifyPassword } from './passwords';
import { sessionSecret, staffForToken, tokenSessionVersion } from './staff-session';

const credentials = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
});

const SESSION_HOURS = 12;

/** next-auth's error for a right password on a deactivated account (sign-in page explains it). */
export const ACCOUNT_DEACTIVATED = 'AccountDeactivated';

/** Thrown while refreshing a session whose account ended it; next-auth then clears the cookie. */
class SessionEndedError extends Error {
  constructor() {
    super('This session was ended (signed out, password or role changed, or account deactivated).');
    this.name = 'SessionEndedError';
  }
}

export interface SignInHooks {
  /** Told once the password was checked: whether the attempt succeeded. */
  onPasswordChecked?: (succeeded: boolean) => void;
}

/** next-auth for agents and admins: email and password, a signed JWT cookie, roles in the token. */
export function authOptions(
  ctx: Pick<AppContext, 'database' | 'config' | 'secret'>,
  hooks: SignInHooks = {},
): NextAuthOptions {
  const { db } = ctx.database;
  return {
    // Derived from the instance secret, so every instance on one database accepts the same sessions.
    secret: sessionSecret(ctx),
    session: { strategy: 'jwt', maxAge: SESSION_HOURS * 60 * 60 },
    useSecureCookies: ctx.config.auth.secureCookies,
    pages: { signIn: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(input) {
          const parsed = credentials.safeParse(input);
          if (!parsed.success) {
            hooks.onPasswordChecked?.(false);
            return null;
          }
          const user = await findStaffWithPassword(db, parsed.data.email);
          // Compare even for unknown emails, so timing does not reveal which accounts exist.
          const ok = await verifyPassword(
            parsed.data.password,
            user?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva',
          );
          if (!user || !ok) {
            hooks.onPasswordChecked?.(false);
            log.info({ email: parsed.data.email }, 'console sign-in refused');
            return null;
          }
          if (user.deactivatedAt !== null) {
            // Said only to someone who knows the password, so it reveals nothing to a guesser.
            hooks.onPasswordChecked?.(false);
            log.info({ userId: user.id }, 'console sign-in refused: account deactivated');
            throw new Error(ACCOUNT_DEACTIVATED);
          }
          hooks.onPasswordChecked?.(true);
          return {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            sessionVersion: user.sessionVersion,
          };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const signedIn = user as { id: string; role?: Role; sessionVersion?: number };
          token.sub = signedIn.id;
          token.role = signedIn.role;
          token.sessionVersion = signedIn.sessionVersion ?? 0;
          return token;
        }
        // next-auth re-signs the token when /api/auth/session is read: never for an ended session.
        if (!(await staffForToken(db, token))) throw new SessionEndedError();
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, role: token.role } };
      },
      // Only this site. next-auth's default throws on a callbackUrl that is no URL and passes
      // control or non-ASCII characters on into the Location header: 500s on a crafted request.
      redirect({ url, baseUrl }) {
        try {
          const target = new URL(url, baseUrl);
          if (target.origin === new URL(baseUrl).origin) return target.href;
        } catch {}
        return baseUrl;
      },
    },
    events: {
      // Signing out ends every session of the account, on every device and instance, and takes
      // the agent offline now: customers are not told a person will join who has left.
      async signOut({ token }) {
        if (token?.sub && z.uuid().safeParse(token.sub).success) {
          await revokeStaffSessions(db, token.sub, { ifVersion: tokenSessionVersion(token) });
          await endPresence(db, token.sub);
        }
      },
    },
    logger: {
      error: (code, metadata) => {
        if (metadata instanceof SessionEndedError) return;
        log.error({ code, metadata }, 'next-auth error');
      },
      // Without NEXTAUTH_URL next-auth warns on every start; sign-in works without it (see .env.example).
      warn: (code) => {
        if (code !== 'NEXTAUTH_URL') log.warn({ code }, 'next-auth warning');
      },
      debug: () => {},
    },
  };
}
