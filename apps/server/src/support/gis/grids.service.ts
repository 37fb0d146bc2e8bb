import type { GridDetail, GridFeatureCollection, GridPage, GridSummary } from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { JobQueue } from '../../platform/jobs/jobs.service.ts';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { conflictOnDuplicate } from '../../platform/org/org.errors.ts';
import {
  type GridGeometry,
  geometryBbox,
  overlapKm2,
  type Position,
  polygonAreaKm2,
  polygonCenter,
  validatePolygon,
} from './geojson.ts';
import { enqueueGridReassignment } from './gis.jobs.ts';
import * as repo from './grids.repo.ts';

/**
 * 网格 administration. A grid belongs to one 市场监管所; who may see or change it follows the data scope on that
 * 所. Boundaries are validated GeoJSON (Multi)Polygons; the centre is computed, never typed. A changed boundary
 * enqueues the reassignment of the entities it affects (gis.grids.reassign).
 */
export interface GridInput {
  code: string;
  name: string;
  stationId: number;
  /** Checked here (validatePolygon), so that every caller gets the same Chinese explanations. */
  geometry: unknown;
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { details: [{ path, message }] });

const duplicateCode = (code: string) => {
  const message = `网格编码 ${code} 已存在`;
  return new AppError('CONFLICT', message, { details: [{ path: 'code', message }] });
};

function toSummary(r: repo.GridRow): GridSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    stationId: r.station_id,
    stationName: r.station_name,
    centerLon: r.center_lon,
    centerLat: r.center_lat,
    entityCount: r.entity_count,
  };
}

/** What the audit record keeps of a grid: not the whole boundary, which can be large. */
const auditView = (g: {
  code: string;
  name: string;
  station_id: number;
  center_lon: number;
  center_lat: number;
}) => ({
  code: g.code,
  name: g.name,
  stationId: g.station_id,
  center: [g.center_lon, g.center_lat],
});

export function createGridService({ db, jobs }: { db: Kysely<DB>; jobs: JobQueue }) {
  async function detail(ex: repo.Executor, viewer: SessionUser, id: number): Promise<GridDetail> {
    const g = await repo.findGrid(ex, viewer, id);
    if (!g) throw notFound('网格');
    return { ...toSummary(g), geometry: g.geometry, areaKm2: polygonAreaKm2(g.geometry) };
  }

  /** Validates the boundary and the owning 所 (which must be in the actor's scope); returns the row values. */
  async function values(ex: repo.Executor, actor: SessionUser, input: GridInput): Promise<repo.GridValues> {
    const issues = validatePolygon(input.geometry);
    if (issues.length > 0) {
      throw new AppError('VALIDATION_FAILED', `网格边界无效：${issues[0]!.message}`, {
        details: issues.map((i) => ({
          path: i.path ? `geometry.${i.path}` : 'geometry',
          message: i.message,
        })),
      });
    }
    const [station] = await repo.stationsInScope(ex, actor, input.stationId);
    if (!station) throw invalid('stationId', '所属市场监管所不存在或不在您的数据权限范围内');
    // Keep only type and coordinates (no foreign members), and drop any altitude.
    const flat = (rings: Position[][]) => rings.map((ring) => ring.map(([lon, lat]): Position => [lon, lat]));
    const given = input.geometry as GridGeometry;
    const geometry: GridGeometry =
      given.type === 'Polygon'
        ? { type: 'Polygon', coordinates: flat(given.coordinates) }
        : { type: 'MultiPolygon', coordinates: given.coordinates.map(flat) };
    const [lon, lat] = polygonCenter(geometry);
    return {
      code: input.code,
      name: input.name,
      station_id: station.id,
      geometry,
      center_lon: lon,
      center_lat: lat,
    };
  }

  /**
   * A boundary may touch its neighbours but not overlap them: an entity standing in two grids would belong to
   * whichever the placement met first, and so to either 所's data scope. Shared edges drawn a little apart are
   * tolerated up to 1 % of the smaller grid.
   */
  async function refuseOverlap(ex: repo.Executor, geometry: GridGeometry, exceptId?: number): Promise<void> {
    const area = polygonAreaKm2(geometry);
    for (const other of await repo.otherBoundaries(ex, exceptId)) {
      const shared = overlapKm2(geometry, other.geometry);
      if (shared > 0.01 * Math.min(area, polygonAreaKm2(other.geometry))) {
        const m2 = Math.round(shared * 1_000_000).toLocaleString('zh-CN');
        throw invalid(
          'geometry',
          `网格边界与“${other.name}”（${other.station_name}）重叠约 ${m2} 平方米；相邻网格应共用边界、互不重叠`,
        );
      }
    }
  }

  return {
    async list(
      viewer: SessionUser,
      q: repo.GridFilter & { after?: number | undefined; limit: number },
    ): Promise<GridPage> {
      const rows = await repo.listGrids(db, viewer, { ...q, limit: q.limit + 1 });
      const items = rows.slice(0, q.limit).map(toSummary);
      return {
        items,
        total: await repo.countGrids(db, viewer, q),
        nextAfter: rows.length > q.limit ? items[items.length - 1]!.id : null,
      };
    },

    get: (viewer: SessionUser, id: number) => detail(db, viewer, id),

    stations: (viewer: SessionUser) => repo.stationsInScope(db, viewer),

    async create(actor: SessionUser, input: GridInput) {
      return db.transaction().execute(async (tx) => {
        const v = await values(tx, actor, input);
        if (await repo.gridCodeTaken(tx, v.code)) throw duplicateCode(v.code);
        await refuseOverlap(tx, v.geometry);
        const id = await conflictOnDuplicate(() => repo.insertGrid(tx, v), `网格编码 ${v.code} 已存在`);
        // Entities already standing inside the new boundary (未落格 or in an overlapping grid) are placed again.
        await enqueueGridReassignment(jobs, tx, { gridId: id, bboxes: [geometryBbox(v.geometry)] });
        return { grid: await detail(tx, actor, id), after: auditView(v) };
      });
    },

    async update(actor: SessionUser, id: number, input: GridInput) {
      return db.transaction().execute(async (tx) => {
        const before = await repo.lockGrid(tx, actor, id);
        if (!before) throw notFound('网格');
        const v = await values(tx, actor, input);
        if (await repo.gridCodeTaken(tx, v.code, id)) throw duplicateCode(v.code);
        await refuseOverlap(tx, v.geometry, id);
        await conflictOnDuplicate(() => repo.updateGrid(tx, id, v), `网格编码 ${v.code} 已存在`);
        // A new boundary or owner: the grid's entities and those now inside it are assigned again by a job.
        if (
          JSON.stringify(before.geometry) !== JSON.stringify(v.geometry) ||
          before.station_id !== v.station_id
        ) {
          await enqueueGridReassignment(jobs, tx, {
            gridId: id,
            bboxes: [geometryBbox(before.geometry as GridGeometry), geometryBbox(v.geometry)],
          });
        }
        return { grid: await detail(tx, actor, id), before: auditView(before), after: auditView(v) };
      });
    },

    async remove(actor: SessionUser, id: number) {
      return db.transaction().execute(async (tx) => {
        const before = await repo.lockGrid(tx, actor, id);
        if (!before) throw notFound('网格');
        const entities = await repo.countEntitiesInGrid(tx, id);
        if (entities > 0) {
          throw new AppError(
            'GRID_IN_USE',
            `该网格内仍有 ${entities} 个经营主体，请先将其划入其他网格后再删除`,
            { status: 409 },
          );
        }
        await repo.deleteGrid(tx, id);
        return { before: auditView(before) };
      });
    },

    /** Visible grids as GeoJSON features, for drawing the map. */
    async featureCollection(viewer: SessionUser, f: repo.GridFilter): Promise<GridFeatureCollection> {
      const rows = await repo.gridFeatures(db, viewer, f);
      return {
        type: 'FeatureCollection',
        features: rows.map((r) => ({
          type: 'Feature',
          id: r.id,
          geometry: r.geometry,
          properties: {
            id: r.id,
            code: r.code,
            name: r.name,
            stationId: r.station_id,
            stationName: r.station_name,
            entityCount: r.entity_count,
          },
        })),
      };
    },
  };
}

export type GridService = ReturnType<typeof createGridService>;
