import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../../platform/db/schema.ts';

/** 一户一档 beyond registration (migration 0010). Date columns are ISO `YYYY-MM-DD` text on both drivers. */
export type LicenceKind =
  | 'food_business'
  | 'drug_business'
  | 'special_equipment_use'
  | 'medical_device'
  | 'other';
export type LicenceStatus = '有效' | '注销' | '吊销' | '过期';
export type CreditKind = 'abnormal_operation' | 'serious_violation' | 'administrative_penalty';
export type PersonRole = 'legal_rep' | 'principal' | 'employee';

export interface EntityLicenceTable {
  id: Generated<number>;
  entity_id: number;
  kind: LicenceKind;
  licence_no: string;
  issued_on: string | null;
  valid_until: string | null;
  status: Generated<LicenceStatus>;
  issuer: Generated<string>;
  source: Generated<string>;
  source_run_id: number | null;
  updated_at: GeneratedTimestamp;
}

export interface EntityCreditRecordTable {
  id: Generated<number>;
  entity_id: number;
  kind: CreditKind;
  decided_on: string;
  removed_on: string | null;
  authority: Generated<string>;
  reason: Generated<string>;
  document_no: Generated<string>;
  /** numeric: returned as text by both drivers. */
  amount: string | number | null;
  source: Generated<string>;
  source_run_id: number | null;
  updated_at: GeneratedTimestamp;
}

export interface EntityPersonTable {
  id: Generated<number>;
  entity_id: number;
  /** The entity's 所, copied so the PII reveal route can apply the viewer's data scope on this row. */
  station_id: number | null;
  role: PersonRole;
  name_enc: string;
  name_bidx: string;
  id_card_enc: string | null;
  id_card_bidx: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  source: Generated<string>;
  source_run_id: number | null;
  updated_at: GeneratedTimestamp;
}

/** Row types of this module's tables, merged into `DB` in platform/db/schema.ts. */
export interface EntityDossierTables {
  entity_licence: EntityLicenceTable;
  entity_credit_record: EntityCreditRecordTable;
  entity_person: EntityPersonTable;
}
