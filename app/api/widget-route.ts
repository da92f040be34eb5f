import { requireConsentAnswer } from '@/lib/consent/consent';
import type { AppContext } from '@/lib/context';
import type { Customer } from '@/lib/customers/queries';
import {
  CUSTOMER_SESSION_HEADER,
  clearCustomerCookieHeader,
  customerCookieHeader,
  endCustomerSessions,
  tokenFor,
} from '@/lib/customers/session';
import { checkWidgetLimits } from '@/lib/customers/widget-limits';
import { findWidgetSession } from '@/lib/customers/widget-session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { clientAddress } from '@/lib/security/client-address';
import { getApp } from '@/lib/server/app';
import { getWidgetOrigins } from '@/lib/settings/settings';
import { observedRoute } from './observed-route';
import { isSafeMethod, isTrustedOrigin, refuseForeignOrigin } from './request-guard';
import { withContract } from './route-contract';
import {
  type BodyOf,
  checkedParams,
  contractOf,
  type ParamsOf,
  type QueryOf,
  type RouteOptions,
  readRouteInput,
} from './route-input';

export interface WidgetRouteOptions extends RouteOptions {
  /** 'required': no current session is a 401 `unauthorized:<surface>` ("Open the chat first"). */
  session: 'required' | 'optional';
  /** The event stream only (EventSource cannot set headers): the token may come as `?session=`. */
  sessionInQuery?: boolean;
}

export interface WidgetRequest<O extends WidgetRouteOptions> {
  app: AppContext;
  request: Request;
  params: ParamsOf<O>;
  body: BodyOf<O>;
  query: QueryOf<O>;
  /** The customer whose session the request carries. */
  customer: O extends { session: 'required' } ? Customer : Customer | null;
  /** Gives the browser a session for `customer` with this response (Set-Cookie and x-tandem-session). */
  startSession(customer: Customer): void;
  /** Ends every session of the current customer and clears the cookie ("forget me"). */
  endSession(): Promise<void>;
  /** The widget's flood limits for this customer (or this address): a 429 when spent. */
  checkLimits(input: { startsConversation: boolean }): Promise<void>;
  /** A 409 `conflict:consent` while consent is required and the customer has not answered. */
  requireConsent(): Promise<void>;
}

const DEFAULT_WIDGET_BODY = 16 * 1024;

/**
 * A route the customer's widget calls: the customer session it carries (a signed token in the
 * cookie or the x-tandem-session header) read and checked against the customer's session version,
 * and rotated when old; a state-changing request must come from the desk's own pages or an allowed
 * widget origin, and carry JSON; body and query validated by the route's schemas. Errors become
 * JSON responses, and unexpected ones are logged, in one place.
 */
export function widgetRoute<const O extends WidgetRouteOptions>(
  options: O,
  handle: (input: WidgetRequest<O>) => Promise<Response>,
) {
  const surface = options.surface ?? 'chat';
  const handler = observedRoute(
    async (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
      try {
        const app = await getApp();
        await refuseForeignWidgetOrigin(app, request);
        const session = await findWidgetSession(app, request, {
          fromQuery: Boolean(options.sessionInQuery) && isSafeMethod(request.method),
        });
        if (!session && options.session === 'required') {
          throw new TandemError(`unauthorized:${surface}`, 'Open the chat first.');
        }
        const params = checkedParams((await context?.params) ?? {});
        const { body, query } = await readRouteInput(request, options, {
          config: app.config,
          surface,
          cookie: true,
          maxBytes: DEFAULT_WIDGET_BODY,
        });

        const customer = session?.customer ?? null;
        // What the response does to the browser's session: an old token is replaced by a fresh one.
        const change: { start?: Customer; end?: boolean } = session?.rotate
          ? { start: session.customer }
          : {};
        const response = await handle({
          app,
          request,
          params: params as ParamsOf<O>,
          body: body as BodyOf<O>,
          query: query as QueryOf<O>,
          customer: customer as WidgetRequest<O>['customer'],
          startSession: (started) => {
            change.start = started;
            change.end = false;
          },
          endSession: async () => {
            if (customer) await endCustomerSessions(app.database.db, customer.id);
            change.start = undefined;
            change.end = true;
          },
          checkLimits: async ({ startsConversation }) => {
            const refused = await checkWidgetLimits(app, {
              customerId: customer?.id ?? null,
              startsConversation,
              ip: clientAddress(request, app.config),
            });
            if (refused) {
              const { code, message, details } = refused.error;
              throw new TandemError(code, message, details, refused.headers);
            }
          },
          requireConsent: async () => {
            await requireConsentAnswer(app, customer);
          },
        });
        const secure = new URL(request.url).protocol === 'https:';
        if (change.end) {
          response.headers.append('set-cookie', clearCustomerCookieHeader({ secure }));
        } else if (change.start) {
          const token = tokenFor(change.start, app.secret);
          response.headers.append('set-cookie', customerCookieHeader(token, { secure }));
          response.headers.set(CUSTOMER_SESSION_HEADER, token);
        }
        return response;
      } catch (error) {
        if (!(error instanceof TandemError))
          log.error({ err: error, url: request.url }, 'widget request failed');
        return toErrorResponse(error);
      }
    },
  );
  return withContract(handler, contractOf({ kind: 'widget' }, options));
}

/**
 * Refuses (403) a state-changing request from a page that is neither the desk's own nor a site an
 * admin allows. The allowed origins are only looked up for a request that is not same-origin.
 */
async function refuseForeignWidgetOrigin(app: AppContext, request: Request): Promise<void> {
  if (isSafeMethod(request.method) || isTrustedOrigin(request)) return;
  const widgetOrigins = await getWidgetOrigins(app.database.db);
  refuseForeignOrigin(request, { widgetOrigins, widget: true });
}
