import { RISK_CLASSES } from '@rongjian/shared';
import type { EntityRisk } from '@rongjian/shared/api';
import type { Executor } from '../entities/entities.repo.ts';
import { loadStoredRisk, type StoredRisk } from './risk.repo.ts';

/** A stored result as the API shows it (the profile embeds the same shape). */
export function toEntityRisk(r: StoredRisk): EntityRisk {
  return {
    riskClass: r.risk_class,
    label: RISK_CLASSES[r.risk_class],
    score: Number(r.score),
    contributions: r.contributions,
    thresholds: r.thresholds,
    modelVersion: r.model_version,
    asOf: r.as_of,
    computedAt: new Date(r.computed_at).toISOString(),
  };
}

/** The explanation of one entity's class for the 一户一档 (the caller has applied the data scope). */
export async function loadEntityRisk(db: Executor, entityId: number): Promise<EntityRisk | null> {
  const r = await loadStoredRisk(db, entityId);
  return r ? toEntityRisk(r) : null;
}
