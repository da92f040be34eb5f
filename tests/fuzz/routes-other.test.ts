import { defineFuzzSuite } from './support/fuzz-suite';

// The fuzz suite is split by surface so that test workers share it: every route not under
// /api/admin/ or /api/v1/ (tests/fuzz/routes-admin.test.ts, routes-v1.test.ts).
await defineFuzzSuite(
  (route) => !route.template.startsWith('/api/admin/') && !route.template.startsWith('/api/v1/'),
);
