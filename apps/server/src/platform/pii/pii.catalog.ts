/**
 * Every module's personal-data columns, registered by importing the module's `<module>.pii.ts` (one line each).
 * Key rotation, `keys status` and the reveal route import this file, so none of them can miss a column.
 */
import '../../fusion/entities/entities.pii.ts';
import '../../supervision/clues/clues.pii.ts';
import '../../supervision/clues/clues.workorders.pii.ts';
import '../../support/sms/sms.pii.ts';
import '../../support/exchange/exchange.pii.ts';
import '../auth/auth.pii.ts';
import '../org/org.pii.ts';

export { findPiiColumn, piiColumns } from './pii.registry.ts';
