import { authOptions } from '@/lib/auth/options';
import { beginSignIn, finishSignIn, type SignInOutcome } from '@/lib/auth/sign-in-throttle';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { clientAddress } from '@/lib/security/client-address';
import { getApp } from '@/lib/server/app';
import { observedRoute } from '../../observed-route';
import {
  checkCallbackParam,
  cookiesForNextAuth,
  describeAuthFailure,
  errorPageRedirect,
  readAuthBody,
} from './auth-input';
import { runNextAuth } from './run-next-auth';

type Context = { params: Promise<{ nextauth: string[] }> };

/** What next-auth serves here for credentials sign-in; anything else is "not found". */
const ENDPOINTS: Record<string, { methods: string[]; provider?: 'optional' | 'required' }> = {
  providers: { methods: ['GET'] },
  csrf: { methods: ['GET'] },
  session: { methods: ['GET', 'POST'] },
  signin: { methods: ['GET', 'POST'], provider: 'optional' },
  signout: { methods: ['GET', 'POST'] },
  callback: { methods: ['POST'], provider: 'required' },
  // Where next-auth sends a browser after a refusal; answered here (see errorPageRedirect).
  error: { methods: ['GET'], provider: 'optional' },
};

/**
 * Staff sign-in (next-auth), behind the checks next-auth lacks: the body is read and checked
 * here (413, 415, 400 naming the field, instead of an empty 500), credentials sign-in is
 * throttled per account and per address before next-auth sees it, and every error is JSON
 * `{ error: { code, message } }` with the request id.
 */
async function handleAuth(request: Request, context: Context): Promise<Response> {
  try {
    const app = await getApp();
    const segments = (await context.params).nextauth ?? [];
    checkEndpoint(request.method, segments);
    checkCallbackParam(request);
    // next-auth would render its own error page, and put the raw ?error= into a header.
    if (segments[0] === 'error') return errorPageRedirect(request, segments);
    const call = {
      request,
      segments,
      body: request.method === 'POST' ? await readAuthBody(request) : undefined,
      cookies: cookiesForNextAuth(request),
    };
    const signingIn = request.method === 'POST' && segments[0] === 'callback';
    if (!signingIn) return await describeAuthFailure(await runNextAuth(call, authOptions(app)));

    const attempt = await beginSignIn(app.cache, app.config.signInLimits, {
      email: call.body?.email,
      address: clientAddress(request, app.config),
    });
    let outcome: SignInOutcome = 'unchecked';
    try {
      const options = authOptions(app, {
        onPasswordChecked: (succeeded) => {
          outcome = succeeded ? 'succeeded' : 'failed';
        },
      });
      return await describeAuthFailure(await runNextAuth(call, options));
    } finally {
      await finishSignIn(app.cache, attempt, outcome);
    }
  } catch (error) {
    if (!(error instanceof TandemError))
      log.error({ err: error, url: request.url }, 'route failed');
    return toErrorResponse(error);
  }
}

function checkEndpoint(method: string, segments: string[]): void {
  const [action = '', provider, ...rest] = segments;
  const endpoint = Object.hasOwn(ENDPOINTS, action) ? ENDPOINTS[action] : undefined;
  const providerOk =
    action === 'error'
      ? true
      : provider === undefined
        ? endpoint?.provider !== 'required'
        : endpoint?.provider !== undefined && provider === 'credentials';
  if (!endpoint || !providerOk || rest.length > 0) {
    throw new TandemError('not_found:auth', 'There is no such sign-in endpoint.');
  }
  if (!endpoint.methods.includes(method)) {
    throw new TandemError(
      'method_not_allowed:auth',
      `This sign-in endpoint answers ${endpoint.methods.join(' and ')}, not ${method}.`,
      undefined,
      { allow: endpoint.methods.join(', ') },
    );
  }
}

const handler = observedRoute(handleAuth);

export { handler as GET, handler as POST };
