import type {
  EntityPage,
  EntityProfile,
  EntitySummary,
  LicenceStatusFilter,
  PolygonGeometry,
} from '@rongjian/shared/api';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import { canSeeEvent } from '../../platform/events/event-bus.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { subjectTimeline } from '../../platform/ledger/ledger.service.ts';
import type { PiiVault } from '../../platform/pii/pii.vault.ts';
import type { SettingsService } from '../../platform/settings/settings.service.ts';
import { licenceWindow, loadCreditRecords, loadLicences, loadPersonnel } from './entities.dossier.ts';
import { loadEntityRisk } from '../risk/risk.view.ts';
import { normalizeName } from '../resolution/resolution.normalize.ts';
import {
  countEntities,
  type EntityFilter,
  type Executor,
  findEntity,
  listEntities,
  similarEntities,
} from './entities.repo.ts';
import { licenceExpiryWarningSetting } from './entities.settings.ts';

/** Search filters as the API receives them: the licence status is resolved against the setting and today. */
export type EntityQuery = Omit<EntityFilter, 'licenceWindow'> & {
  licenceStatus?: LicenceStatusFilter | undefined;
};
type Paged = { after?: number | undefined; limit: number };

/** Rows one export may hold; beyond it the filters must be narrowed. */
export const MAX_EXPORT_ROWS = 50_000;
/**
 * A search counts its matches up to this many, then answers `1000+` (`totalCapped`). Counting reads every match:
 * at 1,000,000 entities, 10,000 of them cost 20–40 ms on two cores, 1,000 cost 2–7 ms (docs/performance.md).
 */
export const COUNT_CAP = 1_000;

type Row = Awaited<ReturnType<typeof listEntities>>[number];

function toSummary(r: Row): EntitySummary {
  return {
    id: Number(r.id),
    uscc: r.uscc,
    name: r.name,
    type: r.type,
    address: r.address,
    gridId: r.grid_id === null ? null : Number(r.grid_id),
    gridName: r.grid_name,
    stationId: r.station_id === null ? null : Number(r.station_id),
    stationName: r.station_name,
    businessLines: r.business_lines,
    status: r.status,
    riskClass: r.risk_class,
  };
}

/** 经营主体 search and 一户一档 (fusion/entities): read side over `entity`, data-scoped in SQL. */
export function createEntityService(deps: {
  db: Executor;
  pii: PiiVault;
  settings: Pick<SettingsService, 'get'>;
  /** Today in China time (tests pin it). */
  today?: () => string;
}) {
  const { db } = deps;
  const today = deps.today ?? (() => todayInChina());
  const tiers = () => deps.settings.get(licenceExpiryWarningSetting).days;
  function resolve<T extends EntityQuery>(q: T): Omit<T, 'licenceStatus'> & EntityFilter {
    const { licenceStatus, ...rest } = q;
    return licenceStatus ? { ...rest, licenceWindow: licenceWindow(licenceStatus, today(), tiers()) } : rest;
  }
  return {
    async list(viewer: SessionUser, query: EntityQuery & Paged & { similar?: '1' }): Promise<EntityPage> {
      const { similar, ...rest } = query;
      const f = resolve(rest);
      // Count first: how many match decides how the page is read (EntityPageRequest.fewMatches).
      const count = await countEntities(db, viewer, f, COUNT_CAP);
      // Asked for (the search page): when no name contains the fragment as typed, the names most like it (one
      // page, no paging).
      const norm = similar && f.q && count === 0 && f.after === undefined ? normalizeName(f.q) : '';
      if ([...norm].length >= 2) {
        const items = (await similarEntities(db, viewer, f, norm, f.limit)).map(toSummary);
        return {
          items,
          total: items.length,
          totalCapped: false,
          nextAfter: null,
          similar: items.length > 0,
          licenceExpiryDays: [...tiers()],
        };
      }
      const rows = await listEntities(db, viewer, { ...f, fewMatches: count <= COUNT_CAP });
      const items = rows.map(toSummary);
      return {
        items,
        total: Math.min(count, COUNT_CAP),
        totalCapped: count > COUNT_CAP,
        nextAfter: items.length === f.limit ? items[items.length - 1]!.id : null,
        similar: false,
        licenceExpiryDays: [...tiers()],
      };
    },

    async get(viewer: SessionUser, id: number): Promise<EntityProfile> {
      const r = await findEntity(db, viewer, id);
      if (!r) throw notFound('经营主体');
      const [timeline, licences, creditRecords, personnel, risk] = await Promise.all([
        subjectTimeline(db, 'entity', id, { limit: 1000 }),
        loadLicences(db, id, today(), tiers()),
        loadCreditRecords(db, id),
        loadPersonnel(db, deps.pii, id),
        loadEntityRisk(db, id),
      ]);
      const events = timeline.filter((e) => canSeeEvent(viewer, e));
      return {
        ...toSummary(r),
        regionCode: r.region_code,
        establishedOn: r.established_on,
        lon: r.lon,
        lat: r.lat,
        gridGeometry: (r.grid_geometry as PolygonGeometry | null) ?? null,
        updatedAt: new Date(r.updated_at).toISOString(),
        licences,
        creditRecords,
        personnel,
        risk,
        timeline: events.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt,
          actorName: e.actorName,
          kind: e.kind,
          payload: e.payload,
        })),
      };
    },

    /** Every matching entity for an export, in the order of the search; refuses more than MAX_EXPORT_ROWS. */
    async exportRows(viewer: SessionUser, query: EntityQuery): Promise<EntitySummary[]> {
      const f = resolve(query);
      const count = await countEntities(db, viewer, f, MAX_EXPORT_ROWS);
      if (count > MAX_EXPORT_ROWS) {
        throw new AppError('EXPORT_TOO_LARGE', `一次最多导出 ${MAX_EXPORT_ROWS} 条，请缩小筛选范围`, {
          status: 400,
        });
      }
      const out: EntitySummary[] = [];
      let after: number | undefined;
      for (;;) {
        const rows = await listEntities(db, viewer, {
          ...f,
          after,
          limit: 1000,
          fewMatches: count <= COUNT_CAP,
        });
        out.push(...rows.map(toSummary));
        if (rows.length < 1000) return out;
        after = Number(rows[rows.length - 1]!.id);
      }
    },
  };
}
export type EntityService = ReturnType<typeof createEntityService>;
