import { defineFuzzSuite } from './support/fuzz-suite';

// The fuzz suite is split by surface so that test workers share it.
await defineFuzzSuite((route) => route.template.startsWith('/api/admin/'));
