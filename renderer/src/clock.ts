/**
 * The district's clock for the screens: «today» and times of day in the district's time zone
 * (from app.info), through the core's one rule (core/rules/today.ts) and formatting
 * (core/format.ts). Until app.info has loaded, the project's default zone.
 */
import { formatDateTime, formatTime } from '../../core/format';
import { DEFAULT_TIME_ZONE, todayIn } from '../../core/rules/today';
import { useApp } from './stores/app';

const zone = (): string => useApp.getState().info?.timeZone ?? DEFAULT_TIME_ZONE;

/** Today's date ('YYYY-MM-DD') in the district. */
export const districtToday = (): string => todayIn(zone());

/** An instant as «ДД.ММ.ГГГГ ЧЧ:ММ» on the district's clock. */
export const districtDateTime = (at: string | null | undefined): string => formatDateTime(at, zone());

/** An instant as «ЧЧ:ММ» on the district's clock. */
export const districtTime = (at: string | Date): string => formatTime(at, zone());
