import { qb, type Store } from '../db/store';
import { insertRow } from '../db/write';
import { todayOf } from './localDay';
import { calendarFor, PRODUCTION_CALENDAR_TRANSFERS, referenceId, RISK_FACTORS_2021 } from './reference';

/** Inserts the shipped reference rows that are not there yet (same ids on every laptop). */
export function ensureReferenceData(store: Store, years: readonly number[] = defaultYears(store)): void {
  store.tx(() => {
    const have = new Set(store.all(qb.selectFrom('risk_factors').select('id')).map((r) => r.id));
    for (const f of RISK_FACTORS_2021) {
      const id = referenceId('risk_factor', `2021:${f.code}`);
      if (!have.has(id)) insertRow(store, 'risk_factors', { id, year: 2021, code: f.code, title: f.title });
    }
    const stages = new Set(store.all(qb.selectFrom('calendar_stages').select('id')).map((r) => r.id));
    for (const y of years) {
      for (const s of calendarFor(y)) {
        const id = referenceId('calendar_stage', `${y}:${s.code}`);
        if (!stages.has(id)) insertRow(store, 'calendar_stages', { id, year: y, ...s });
      }
    }
    const transfers = new Set(store.all(qb.selectFrom('production_calendar').select('id')).map((r) => r.id));
    for (const t of PRODUCTION_CALENDAR_TRANSFERS) {
      const id = referenceId('production_day', t.date);
      if (!transfers.has(id)) insertRow(store, 'production_calendar', { id, year: Number(t.date.slice(0, 4)), ...t });
    }
  });
}

function defaultYears(store: Store): number[] {
  const y = Number(todayOf(store).slice(0, 4));
  return [y - 1, y, y + 1];
}
