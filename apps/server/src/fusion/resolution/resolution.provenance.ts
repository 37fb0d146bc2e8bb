import type {
  EntityMerge,
  EntityProvenance,
  FieldAlternative,
  FieldProvenanceView,
  FusedField,
} from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { DB } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { FUSED_FIELDS, provides, sameValue } from './resolution.fuse.ts';
import { movedCounts, revertBlocker } from './resolution.merge.ts';
import type { FieldRules } from './resolution.settings.ts';
import { unpackProvenance } from './resolution.tables.ts';
import { MANUAL_SOURCE, toFusionRecord } from './resolution.write.ts';

/** Read side of fusion for the 一户一档: each field with where it came from, the other values, the merges. */
type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

const GIS_LABELS: Record<string, string> = { geocoder: '地理编码（GIS）', manual: '地图上人工定位（GIS）' };

const iso = (d: Date | string) => new Date(d).toISOString();

export async function entityProvenance(
  db: Executor,
  viewer: Viewer,
  id: number,
  rules: FieldRules,
): Promise<EntityProvenance> {
  const e = await db
    .selectFrom('entity as e')
    .leftJoin('entity as s', 's.id', 'e.merged_into')
    .select([
      'e.id',
      'e.name',
      'e.uscc',
      'e.type',
      'e.address',
      'e.region_code',
      sql<string | null>`to_char(e.established_on, 'YYYY-MM-DD')`.as('established_on'),
      'e.status',
      'e.business_scope',
      'e.lon',
      'e.lat',
      'e.provenance',
      'e.geo_source',
      'e.merged_into',
      's.name as survivor_name',
    ])
    .where('e.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .executeTakeFirst();
  if (!e) throw notFound('经营主体');

  const rows = await db
    .selectFrom('entity_source_record as r')
    .innerJoin('exchange_source as s', 's.name', 'r.source')
    .leftJoin('exchange_run as run', 'run.id', 'r.run_id')
    .select([
      'r.id',
      'r.entity_id',
      'r.source',
      'r.source_key',
      'r.run_id',
      'r.received_at',
      'r.source_updated_at',
      'r.fields',
      'r.match_method',
      'r.match_score',
      'r.actor_name',
      'r.note',
      's.trusted_rank',
      's.label',
      'run.id as run_exists',
    ])
    .where('r.entity_id', '=', id)
    .orderBy('r.id')
    .execute();
  const records = rows.map((r) => ({ row: r, rec: toFusionRecord(r) }));
  // Labels of every source named in the provenance (an absorbed entity's records now live on the survivor).
  const sources = await db.selectFrom('exchange_source').select(['name', 'label']).execute();
  const labelOf = new Map(sources.map((r) => [r.name, r.label]));
  const byId = new Map(records.map((x) => [x.rec.id, x]));

  const column = e as unknown as Record<string, unknown>;
  const provenance = unpackProvenance(e.provenance);
  const fields: FieldProvenanceView[] = FUSED_FIELDS.map((f) => {
    const value = column[f.column] as string | number | null;
    const prov = provenance[f.key];
    const rule = rules[f.group];
    const winner = prov?.recordId !== undefined ? byId.get(prov.recordId) : undefined;
    const alternatives: FieldAlternative[] = records
      .filter(({ rec }) => rec.id !== prov?.recordId && provides(rec, f.group))
      .filter(({ rec }) => !sameValue(rec.fields[f.key], value))
      .map(({ row, rec }) => ({
        recordId: rec.id,
        source: rec.source,
        sourceLabel: row.label,
        runId: rec.runId,
        at: rec.at.toISOString(),
        value: rec.fields[f.key] as string | number,
        conflict:
          rule === 'manual' && winner?.rec.manual === true && rec.at.getTime() > winner.rec.at.getTime(),
      }))
      .sort((a, b) => Number(b.conflict) - Number(a.conflict) || b.at.localeCompare(a.at));
    const gis =
      (f.key === 'lon' || f.key === 'lat') && !prov && e.geo_source ? GIS_LABELS[e.geo_source] : null;
    return {
      field: f.key as FusedField,
      label: f.label,
      value: typeof value === 'string' ? value.trim() : value,
      rule: prov?.rule ?? rule,
      source: prov?.source ?? null,
      sourceLabel: prov ? (labelOf.get(prov.source) ?? prov.source) : (gis ?? null),
      runId: prov?.runId ?? null,
      runExists: winner ? winner.row.run_exists !== null : false,
      at: prov?.at ?? null,
      recordId: prov?.recordId ?? null,
      actorName: winner && prov?.source === MANUAL_SOURCE ? winner.row.actor_name : null,
      note: winner && prov?.source === MANUAL_SOURCE ? winner.row.note : null,
      alternatives,
    };
  });

  return {
    entityId: Number(e.id),
    name: e.name,
    mergedInto: e.merged_into === null ? null : { id: Number(e.merged_into), name: e.survivor_name ?? '' },
    fields,
    records: rows.map((r) => ({
      id: Number(r.id),
      source: r.source,
      sourceLabel: r.label,
      sourceKey: r.source_key,
      runId: r.run_id === null ? null : Number(r.run_id),
      receivedAt: iso(r.received_at),
      matchMethod: r.match_method,
      matchScore: r.match_score === null ? null : Number(r.match_score),
    })),
    merges: await listMerges(db, viewer, { entityId: id, limit: 100 }).then((p) => p.items),
  };
}

/** Merges in the viewer's scope (both entities visible), newest first; optionally those of one entity. */
export async function listMerges(
  db: Executor,
  viewer: Viewer,
  q: { entityId?: number | undefined; after?: number | undefined; limit: number },
): Promise<{ items: EntityMerge[]; nextAfter: number | null }> {
  let query = db
    .selectFrom('entity_merge as m')
    .innerJoin('entity as a', 'a.id', 'm.survivor_id')
    .innerJoin('entity as b', 'b.id', 'm.absorbed_id')
    .selectAll('m')
    .select(['a.name as survivor_name', 'b.name as absorbed_name', 'a.merged_into as survivor_merged_into'])
    .where((eb) => inDataScope(eb, viewer, { department: 'a.station_id' }))
    .where((eb) => inDataScope(eb, viewer, { department: 'b.station_id' }))
    .orderBy('m.id', 'desc')
    .limit(q.limit);
  if (q.entityId !== undefined) {
    const id = q.entityId;
    query = query.where((eb) => eb.or([eb('m.survivor_id', '=', id), eb('m.absorbed_id', '=', id)]));
  }
  if (q.after !== undefined) query = query.where('m.id', '<', q.after);
  const rows = await query.execute();
  const items: EntityMerge[] = [];
  for (const r of rows) {
    items.push({
      id: Number(r.id),
      survivor: { id: Number(r.survivor_id), name: r.survivor_name },
      absorbed: { id: Number(r.absorbed_id), name: r.absorbed_name },
      matchId: r.match_id === null ? null : Number(r.match_id),
      reason: r.reason,
      actorName: r.actor_name,
      createdAt: iso(r.created_at),
      moved: movedCounts(r.moved),
      revertedAt: r.reverted_at ? iso(r.reverted_at) : null,
      revertedByName: r.reverted_by_name,
      revertReason: r.revert_reason,
      revertBlockedBy: r.reverted_at ? null : await revertBlocker(db, Number(r.survivor_id)),
    });
  }
  return { items, nextAfter: items.length === q.limit ? items[items.length - 1]!.id : null };
}
