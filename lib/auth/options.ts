import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { App } from '@/lib/app';
import { log } from '@/lib/log';
import { findStaffWithPassword, type Role } from '@/lib/staff/queries';
import { verifyPassword } from './passwords';
import { sessionSecret } from './staff-session';

const credentials = z.object({ email: z.string().trim().min(1), password: z.string().min(1) });

const SESSION_HOURS = 12;

/** next-auth for agents and admins: email and password, a signed JWT cookie, roles in the token. */
export function authOptions(app: App): NextAuthOptions {
  return {
    // Derived from the instance secret, so every instance on one database accepts the same sessions.
    secret: sessionSecret(app),
    session: { strategy: 'jwt', maxAge: SESSION_HOURS * 60 * 60 },
    useSecureCookies: app.config.auth.secureCookies,
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
          if (!parsed.success) return null;
          const user = await findStaffWithPassword(app.database.db, parsed.data.email);
          // Compare even for unknown emails, so timing does not reveal which accounts exist.
          const ok = await verifyPassword(
            parsed.data.password,
            user?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva',
          );
          if (!user || !ok) {
            log.info({ email: parsed.data.email }, 'console sign-in refused');
            return null;
          }
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = (user as { role?: Role }).role;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, role: token.role } };
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, 'next-auth error'),
      // Without NEXTAUTH_URL next-auth warns on every start; sign-in works without it (see .env.example).
      warn: (code) => {
        if (code !== 'NEXTAUTH_URL') log.warn({ code }, 'next-auth warning');
      },
      debug: () => {},
    },
  };
}
