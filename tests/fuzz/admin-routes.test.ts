import { defineFuzzSuite } from './support/fuzz-suite';
import { isAdminRouteOutsideKb } from './support/split';

await defineFuzzSuite(isAdminRouteOutsideKb);
