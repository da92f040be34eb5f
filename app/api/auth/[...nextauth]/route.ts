import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { getApp } from '@/lib/app';
import { authOptions } from '@/lib/auth/options';

type Context = { params: Promise<{ nextauth: string[] }> };

// The options need the app's secret, so the handler is built per request once the app is open.
async function handler(request: NextRequest, context: Context) {
  const app = await getApp();
  return NextAuth(request, context, authOptions(app));
}

export { handler as GET, handler as POST };
