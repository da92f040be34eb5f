import { defineFuzzSuite } from './support/fuzz-suite';
import { isAdminRouteOutsideKb } from './support/split';

// The knowledge base's admin routes, the console, the widget, the public API and any route
// without a contract: everything admin-routes.test.ts leaves.
await defineFuzzSuite((route) => !isAdminRouteOutsideKb(route));
