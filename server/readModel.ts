/**
 * The region's read model. The hub only relays changes; to show the regional coordinator
 * the same expertise and engagement summaries a district sees, each district gets a local
 * SQLite replica with the laptops' schema (`<dataDir>/districts/<districtId>.sqlite`), into
 * which the hub's accepted changes for that district (and the region's reference data) are
 * applied by the laptops' own apply engine. Summaries are then computed by the same
 * functions the app uses (core/monitoring, core/rules), so there is one rubric.
 *
 * Replicas are brought up to date lazily, whenever the page is read, from a cursor over the
 * hub's sequence kept in the replica itself (committed in the same transaction as the
 * changes it covers), so a crash mid-way resumes where it stopped. Reads go one at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyChunk, type WireChange } from '../core/sync/apply';
import { massDeletion } from '../core/sync/local.node';
import { DEFAULT_TIME_ZONE, todayIn } from '../core/rules/today';
import { naturalCompare } from '../core/rules/naturalOrder';
import { computeSheets } from '../core/monitoring/expertiseData';
import { curatorEngagement, type EngagementSummary } from '../core/monitoring/monitoring';
import { summarise, type ExpertiseSummary, type SheetRow } from '../core/monitoring/summary';
import { shownPercent } from '../core/format';
import { BAND_LABELS, bandOf, bandOfPercent, type Band } from '../core/rules/engagement';
import { openStore } from '../db/open';
import { getMeta, setMeta } from '../db/replica';
import { qb, type Store } from '../db/store';
import type { Hub } from './hub';

/** The hub's stream of region reference data (see server/db.ts: changes.district_id). */
const REGION_STREAM = '';
const CURSOR_KEY = 'region.cursor';
const CHUNK = 2000;
const SAFE_ID = /^[\w-]{1,100}$/;
/** Districts whose replicas stay open for the push checks. */
const REPLICAS_OPEN = 16;

export interface DistrictOverview {
  id: string;
  name: string;
  /** The district's id in the data (its `districts` row), once a laptop with data enrolled. */
  dataDistrictId: string | null;
  devices: number;
  activeDevices: number;
  /** The latest accepted exchange of any of its devices (ISO), or null if none yet. */
  lastSync: string | null;
  /** Changes the hub has accepted from the district. */
  changes: number;
}

export interface DistrictView extends DistrictOverview {
  schools: number;
  sheets: SheetRow[];
  expertise: ExpertiseSummary;
  /** Null while the district has no data yet. */
  engagement: EngagementSummary | null;
}

export interface EngagementTotals {
  curators: number;
  active: number;
  activePercent: number;
  activeBand: Band;
  journalBands: { band: Band; label: string; count: number }[];
  pointsDistribution: { points: number; count: number }[];
}

export interface RegionView {
  reportingDate: string;
  /** The engagement period: from the start of the reporting year to the reporting date (as the dashboard). */
  from: string;
  to: string;
  districts: DistrictView[];
  expertise: ExpertiseSummary;
  engagement: EngagementTotals;
}

/** Sums per-district engagement summaries: counts add up, the active share and band are recomputed from the sums. */
export function engagementTotals(parts: readonly EngagementSummary[]): EngagementTotals {
  const curators = parts.reduce((s, p) => s + p.curators.length, 0);
  const active = parts.reduce((s, p) => s + p.active, 0);
  const bands: Band[] = ['low', 'mid', 'high'];
  return {
    curators,
    active,
    activePercent: shownPercent(active, curators, bandOfPercent),
    activeBand: bandOf(active, curators),
    journalBands: bands.map((band) => ({
      band,
      label: BAND_LABELS[band],
      count: parts.reduce((s, p) => s + (p.journalBands.find((b) => b.band === band)?.count ?? 0), 0),
    })),
    pointsDistribution: [3, 2, 1, 0].map((points) => ({
      points,
      count: parts.reduce((s, p) => s + (p.pointsDistribution.find((d) => d.points === points)?.count ?? 0), 0),
    })),
  };
}

export class RegionReadModel {
  private busy: Promise<unknown> = Promise.resolve();
  /** Replicas open for the push checks, least recently used first. */
  private readonly replicas = new Map<string, Store>();

  constructor(readonly hub: Hub) {}

  get dir(): string {
    return path.join(this.hub.dataDir, 'districts');
  }

  fileOf(districtId: string): string {
    if (!SAFE_ID.test(districtId)) throw new Error(`Недопустимый идентификатор района: ${districtId}`);
    return path.join(this.dir, `${districtId}.sqlite`);
  }

  /** Districts with their devices, last sync and accepted changes, from the hub's own tables. */
  async overview(): Promise<DistrictOverview[]> {
    const db = this.hub.db;
    const districts = await db.selectFrom('districts').selectAll().orderBy('name').execute();
    const devices = await db
      .selectFrom('devices')
      .select((eb) => ['district_id', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('revoked_at').as('revoked'), eb.fn.max('last_seen_at').as('last')])
      .groupBy('district_id')
      .execute();
    const changes = await db
      .selectFrom('changes')
      .select((eb) => ['district_id', eb.fn.countAll<number>().as('n')])
      .where('district_id', '!=', REGION_STREAM)
      .groupBy('district_id')
      .execute();
    const dev = new Map(devices.map((d) => [d.district_id, d]));
    const chg = new Map(changes.map((c) => [c.district_id, Number(c.n)]));
    return districts
      .map((d) => {
        const x = dev.get(d.id);
        return {
          id: d.id,
          name: d.name,
          dataDistrictId: d.data_district_id,
          devices: Number(x?.n ?? 0),
          activeDevices: Number(x?.n ?? 0) - Number(x?.revoked ?? 0),
          lastSync: x?.last ?? null,
          changes: chg.get(d.id) ?? 0,
        };
      })
      .sort((a, b) => naturalCompare(a.name, b.name));
  }

  /** Applies the hub's changes after the replica's cursor; returns how many were applied. */
  async catchUp(store: Store, districtId: string): Promise<number> {
    const db = this.hub.db;
    // As the hub's reply does: read the high-water mark first; every sequence up to it is committed.
    const max = await db.selectFrom('changes').select((eb) => eb.fn.max('server_seq').as('m')).executeTakeFirst();
    const high = Number(max?.m ?? 0);
    let cursor = Number(getMeta(store, CURSOR_KEY) ?? '0');
    let applied = 0;
    while (cursor < high) {
      const rows = await db
        .selectFrom('changes')
        .select(['server_seq', 'device_id', 'device_seq', 'hlc', 'tbl', 'row_id', 'data', 'meta', 'author'])
        .where('district_id', 'in', [districtId, REGION_STREAM])
        .where('server_seq', '>', cursor)
        .where('server_seq', '<=', high)
        .orderBy('server_seq')
        .limit(CHUNK)
        .execute();
      const upto = rows.length === CHUNK ? Number(rows[rows.length - 1]!.server_seq) : high;
      const changes: WireChange[] = rows.map((r) => ({
        d: r.device_id,
        q: Number(r.device_seq),
        h: r.hlc,
        t: r.tbl,
        r: r.row_id,
        v: JSON.parse(r.data) as WireChange['v'],
        m: r.meta ? (JSON.parse(r.meta) as WireChange['m']) : null,
        s: Number(r.server_seq),
        ...(r.author ? { a: r.author } : {}),
      }));
      applied += applyChunk(store, changes, () => setMeta(store, CURSOR_KEY, String(upto))).applied;
      cursor = upto;
    }
    return applied;
  }

  /**
   * The hub's mass-delete check of a pushed package: the rows it would tombstone against
   * the district's live rows, counted on the district's replica brought up to date (the
   * same rule and count as a laptop's import).
   */
  massDeletion(districtId: string, changes: readonly WireChange[]): Promise<{ deleted: number; live: number } | null> {
    return this.withReplica(districtId, (store) => massDeletion(store, changes));
  }

  /**
   * Runs `read` on the district's replica brought up to date (the hub's permission check of a
   * pushed package reads the rows its changes concern there), one reader at a time.
   */
  withReplica<T>(districtId: string, read: (store: Store) => T): Promise<T> {
    const run = async () => {
      const store = this.openReplica(districtId);
      await this.catchUp(store, districtId);
      return read(store);
    };
    const p = this.busy.then(run, run);
    this.busy = p.catch(() => undefined);
    return p;
  }

  /**
   * The district's replica, kept open between pushes (opening one costs more than checking a
   * package of a hundred changes); the least recently used is closed past REPLICAS_OPEN.
   */
  private openReplica(districtId: string): Store {
    let store = this.replicas.get(districtId);
    if (store) this.replicas.delete(districtId);
    else {
      fs.mkdirSync(this.dir, { recursive: true });
      store = openStore(this.fileOf(districtId), { backupDir: path.join(this.dir, 'backups') });
    }
    this.replicas.set(districtId, store);
    for (const [id, old] of this.replicas) {
      if (this.replicas.size <= REPLICAS_OPEN) break;
      old.close();
      this.replicas.delete(id);
    }
    return store;
  }

  /** Closes the replicas kept open (the server's shutdown, a test's end). */
  close(): void {
    for (const store of this.replicas.values()) store.close();
    this.replicas.clear();
  }

  /** Brings every district's replica up to date and computes the region's summaries at a reporting date (default: the last monitoring stage passed). */
  view(reportingDate?: string): Promise<RegionView> {
    const run = () => this.build(reportingDate);
    const p = this.busy.then(run, run);
    this.busy = p.catch(() => undefined);
    return p;
  }

  private async build(requested?: string): Promise<RegionView> {
    const overview = await this.overview();
    fs.mkdirSync(this.dir, { recursive: true });
    const stores = new Map<string, Store>();
    try {
      for (const d of overview) {
        const store = openStore(this.fileOf(d.id), { backupDir: path.join(this.dir, 'backups') });
        stores.set(d.id, store);
        await this.catchUp(store, d.id);
      }
      const reportingDate = requested ?? defaultReportingDate([...stores.values()]);
      const from = `${reportingDate.slice(0, 4)}-01-01`;
      const districts: DistrictView[] = overview.map((d) => {
        const store = stores.get(d.id)!;
        const dataDistrictId = d.dataDistrictId ?? firstDistrictOf(store);
        const sheets = dataDistrictId ? computeSheets(store, { districtId: dataDistrictId }, reportingDate) : [];
        const schools = dataDistrictId
          ? Number(store.first(qb.selectFrom('schools').select((eb) => eb.fn.countAll<number>().as('n')).where('district_id', '=', dataDistrictId).where('deleted_at', 'is', null))?.n ?? 0)
          : 0;
        return {
          ...d,
          dataDistrictId,
          schools,
          sheets,
          expertise: summarise(reportingDate, sheets),
          engagement: dataDistrictId ? curatorEngagement(store, dataDistrictId, from, reportingDate) : null,
        };
      });
      return {
        reportingDate,
        from,
        to: reportingDate,
        districts,
        expertise: summarise(
          reportingDate,
          districts.flatMap((d) => d.sheets),
        ),
        engagement: engagementTotals(districts.flatMap((d) => (d.engagement ? [d.engagement] : []))),
      };
    } finally {
      for (const s of stores.values()) s.close();
    }
  }
}

/** The district the replica's data belongs to when the hub was not told (a laptop enrolled before it had data). */
function firstDistrictOf(store: Store): string | null {
  return store.first(qb.selectFrom('districts').select('id').where('deleted_at', 'is', null).orderBy('id').limit(1))?.id ?? null;
}

/** As the app's reports: the deadline of the last monitoring stage («M…») already passed, else today. */
function defaultReportingDate(stores: readonly Store[]): string {
  // The region's page spans districts, so it keeps the project's default zone.
  const now = todayIn(DEFAULT_TIME_ZONE);
  let best: string | null = null;
  for (const s of stores) {
    for (const stage of s.all(qb.selectFrom('calendar_stages').select(['code', 'deadline']).where('deleted_at', 'is', null).where('deadline', '<=', now))) {
      if (stage.code.startsWith('M') && (!best || stage.deadline > best)) best = stage.deadline;
    }
  }
  return best ?? now;
}

const models = new WeakMap<Hub, RegionReadModel>();

/** The hub's read model (one per hub, so its reads are serialised). */
export function readModelOf(hub: Hub): RegionReadModel {
  let m = models.get(hub);
  if (!m) models.set(hub, (m = new RegionReadModel(hub)));
  return m;
}
