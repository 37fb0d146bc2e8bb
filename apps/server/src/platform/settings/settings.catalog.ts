import { businessLineKeywordsSetting } from '../../fusion/entities/entities.lines.ts';
import { licenceExpiryWarningSetting } from '../../fusion/entities/entities.settings.ts';
import { riskModelSetting } from '../../fusion/risk/risk.model.ts';
import { fieldRulesSetting, resolutionSetting } from '../../fusion/resolution/resolution.settings.ts';
import { auditRetentionSetting } from '../audit/audit.settings.ts';
import { deadlineWarningSetting } from '../deadlines/deadlines.settings.ts';
import { lockoutSetting, mfaSetting, passwordPolicySetting, sessionSetting } from '../auth/auth.settings.ts';
import { gisGeocoderSetting, gisTilesSetting } from '../../support/gis/gis.settings.ts';
import { exchangeFreshnessSetting } from '../../support/exchange/exchange.settings.ts';
import { smsGatewaySetting } from '../../support/sms/sms.settings.ts';
import { replyTemplatesSetting } from '../../supervision/clues/clues.workorders.settings.ts';
import { publicIntakeSetting } from '../../supervision/clues/clues.public.settings.ts';
import { clueDuplicatesSetting } from '../../supervision/clues/clues.settings.ts';
import { inboxDueSoonSetting } from '../inbox/inbox.settings.ts';
import { FINDING_SETTINGS } from '../../supervision/analysis/analysis.findings.settings.ts';
import { reviewTrainingSetting } from '../../supervision/analysis/analysis.review.settings.ts';
import {
  dispatchLimitsSetting,
  dispatchTransferSetting,
} from '../../supervision/dispatch/dispatch.settings.ts';
import type { AnySettingDefinition } from './settings.define.ts';
import { complaintDeadlines, platformInfo, uploadLimits } from './settings.builtin.ts';

/** Every setting the platform knows. Owning modules add one import line and one entry each. */
export const settingsCatalog: readonly AnySettingDefinition[] = [
  platformInfo,
  uploadLimits,
  complaintDeadlines,
  replyTemplatesSetting,
  smsGatewaySetting,
  deadlineWarningSetting,
  passwordPolicySetting,
  lockoutSetting,
  sessionSetting,
  mfaSetting,
  auditRetentionSetting,
  licenceExpiryWarningSetting,
  exchangeFreshnessSetting,
  gisTilesSetting,
  gisGeocoderSetting,
  riskModelSetting,
  businessLineKeywordsSetting,
  resolutionSetting,
  fieldRulesSetting,
  clueDuplicatesSetting,
  publicIntakeSetting,
  dispatchLimitsSetting,
  dispatchTransferSetting,
  inboxDueSoonSetting,
  ...FINDING_SETTINGS,
  reviewTrainingSetting,
];
