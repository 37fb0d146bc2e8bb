import { administrativePenalty, abnormalOperation, seriousViolation } from './risk.indicators.credit.ts';
import { licenceExpiredOperating, licenceExpiring, licenceRevoked } from './risk.indicators.licence.ts';
import { newlyEstablished, registrationAbnormal } from './risk.indicators.registration.ts';
import type { RiskIndicator } from './risk.indicator.ts';

/**
 * Every risk indicator, in display order. A module that knows something about an entity's risk (complaints,
 * inspection results, cases, sensing alarms) adds one line here; the model setting grows its weight by itself.
 */
export const RISK_INDICATORS: readonly RiskIndicator[] = [
  seriousViolation,
  abnormalOperation,
  administrativePenalty,
  registrationAbnormal,
  licenceRevoked,
  licenceExpiredOperating,
  licenceExpiring,
  newlyEstablished,
];
