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

/** How long each part of a screen's failure report may be (the renderer cuts to these). */
export const REPORT_LIMITS = { message: 2000, stack: 20_000, route: 1000 } as const;

/** The seed districts the demo offers (core/demo.ts), each loaded on its own: a laptop works for one district. */
export const DEMO_DISTRICTS = { kamensk: 'Каменск-Уральский городской округ', tsunta: 'МР «Цунтинский район»' } as const;
export type DemoDistrict = keyof typeof DEMO_DISTRICTS;

export const appContract = {
  'app.info': call<AppInfo>()(z.strictObject({})),
  'app.createDistrict': call<AppInfo>()(
    z.strictObject({
      region: text(300),
      district: text(300),
    }),
  ),
  'app.loadDemo': call<AppInfo>()(z.strictObject({ district: z.enum(Object.keys(DEMO_DISTRICTS) as [DemoDistrict, ...DemoDistrict[]]).default('kamensk') })),
  'app.updateSettings': call<AppInfo>()(
    z.strictObject({
      visit_days_forming: z.number().int().min(1, { message: 'Не меньше 1 дня' }).max(120, { message: 'Не больше 120 дней' }),
      visit_days_implementing_due: z.number().int().min(1).max(180),
      visit_days_implementing: z.number().int().min(1, { message: 'Не меньше 1 дня' }).max(180, { message: 'Не больше 180 дней' }),
      time_zone: z.string().max(64).refine(isTimeZone, { message: 'Неизвестный часовой пояс: укажите его как Europe/Moscow' }).optional(),
    }),
  ),
  /** A screen that failed to render (the renderer's error boundary): written to the app's log file. */
  'app.reportError': call<null>()(
    z.strictObject({
      message: z.string().max(REPORT_LIMITS.message),
      stack: z.string().max(REPORT_LIMITS.stack),
      componentStack: z.string().max(REPORT_LIMITS.stack),
      route: z.string().max(REPORT_LIMITS.route),
      appVersion: z.string().max(REPORT_LIMITS.route),
    }),
  ),
  'trash.list': call<TrashItem[]>()(z.strictObject({})),
  'trash.restore': call<null>()(z.strictObject({ table: z.enum(trashTables), id: z.uuid() })),
};
