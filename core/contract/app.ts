import { call } from './define';
import { text, z } from './common';
import { isTimeZone } from '../rules/today';
import type { Row } from '../../db/schema';

export interface AppInfo {
  district: Row<'districts'> | null;
  region: Row<'regions'> | null;
  deviceId: string;
  dataDir: string;
  schemaVersion: number;
  appVersion: string;
  /** The district's time zone: «today» and times on screen are on its clock (core/rules/today.ts). */
  timeZone: string;
}

export interface TrashItem {
  table: TrashTable;
  id: string;
  title: string;
  deleted_at: string;
}

export const trashTables = ['schools', 'people', 'orders', 'curator_assignments', 'programmes', 'measures', 'evidence', 'visits', 'events', 'muni_roadmap_items'] as const;
export type TrashTable = (typeof trashTables)[number];

export const appContract = {
  'app.info': call<AppInfo>()(z.strictObject({})),
  'app.createDistrict': call<AppInfo>()(
    z.strictObject({
      region: text(300),
      district: text(300),
    }),
  ),
  'app.loadDemo': call<AppInfo>()(z.strictObject({})),
  'app.updateSettings': call<AppInfo>()(
    z.strictObject({
      visit_days_forming: z.number().int().min(1, { message: 'Не меньше 1 дня' }).max(120, { message: 'Не больше 120 дней' }),
      visit_days_implementing_due: z.number().int().min(1).max(180),
      visit_days_implementing: z.number().int().min(1, { message: 'Не меньше 1 дня' }).max(180, { message: 'Не больше 180 дней' }),
      time_zone: z.string().max(64).refine(isTimeZone, { message: 'Неизвестный часовой пояс: укажите его как Europe/Moscow' }).optional(),
    }),
  ),
  'trash.list': call<TrashItem[]>()(z.strictObject({})),
  'trash.restore': call<null>()(z.strictObject({ table: z.enum(trashTables), id: z.uuid() })),
};
