import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { getMeta, replicaOf, setMeta } from '../../db/replica';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, restoreRow, updateRow } from '../../db/write';
import { AppError } from '../../db/errors';
import { appContract, trashTables, type AppInfo, type TrashItem } from '../contract/app';
import type { Ctx } from '../context';
import { loadDemo } from '../demo';
import { ensureReferenceData } from '../referenceData';
import { rowTitle } from '../rowTitle';
import { setTimeZone, timeZoneOf } from '../localDay';
import { DEFAULT_THRESHOLDS } from '../rules/visits';
import type { Handlers } from './types';

export const APP_VERSION = '0.1.0';

export function currentDistrictId(store: Store): string {
  const id = getMeta(store, 'district_id');
  if (!id) throw new AppError('no_district', 'Район ещё не создан: создайте его или загрузите демо.');
  return id;
}

function info(ctx: Ctx): AppInfo {
  const districtId = getMeta(ctx.store, 'district_id');
  const district = districtId ? (getRow(ctx.store, 'districts', districtId) ?? null) : null;
  const region = district?.region_id ? (getRow(ctx.store, 'regions', district.region_id) ?? null) : null;
  return {
    district,
    region,
    deviceId: replicaOf(ctx.store).deviceId,
    dataDir: ctx.dataDir,
    schemaVersion: LATEST_SCHEMA_VERSION,
    appVersion: APP_VERSION,
    timeZone: timeZoneOf(ctx.store),
  };
}

export const appHandlers: Handlers<typeof appContract> = {
  'app.info': (_i, ctx) => info(ctx),

  'app.createDistrict': (input, ctx) => {
    ctx.store.tx(() => {
      if (getMeta(ctx.store, 'district_id')) throw new AppError('exists', 'Район уже создан.');
      const region = insertRow(ctx.store, 'regions', { name: input.region });
      const district = insertRow(ctx.store, 'districts', {
        region_id: region.id,
        name: input.district,
        ...DEFAULT_THRESHOLDS,
      });
      setMeta(ctx.store, 'district_id', district.id);
      ensureReferenceData(ctx.store);
    });
    return info(ctx);
  },

  'app.loadDemo': ({ district }, ctx) => {
    loadDemo(ctx.store, district);
    return info(ctx);
  },

  'app.updateSettings': (input, ctx) => {
    if (input.visit_days_implementing_due > input.visit_days_implementing) {
      throw new AppError('validation', 'Проверьте выделенные поля', {
        visit_days_implementing_due: 'Срок «пора посетить» не может быть больше срока просрочки',
      });
    }
    const { time_zone, ...thresholds } = input;
    updateRow(ctx.store, 'districts', currentDistrictId(ctx.store), thresholds);
    if (time_zone) setTimeZone(ctx.store, time_zone);
    return info(ctx);
  },

  'app.reportError': (input, ctx) => {
    const { message, ...details } = input;
    ctx.log?.({ level: 'error', source: 'renderer', message, details });
    return null;
  },

  'trash.list': (_i, ctx) => {
    const items: TrashItem[] = [];
    for (const table of trashTables) {
      const rows = ctx.store.all(qb.selectFrom(table).selectAll().where('deleted_at', 'is not', null).orderBy('deleted_at', 'desc').limit(200));
      for (const row of rows) {
        items.push({ table, id: row.id, title: rowTitle(table, row), deleted_at: row.deleted_at! });
      }
    }
    return items.sort((a, b) => b.deleted_at.localeCompare(a.deleted_at));
  },

  'trash.restore': (input, ctx) => {
    restoreRow(ctx.store, input.table, input.id);
    return null;
  },
};
