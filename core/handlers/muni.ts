import { AppError } from '../../db/errors';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, restoreRow, softDelete, updateRow } from '../../db/write';
import { MUNI_SECTION_TITLES, type muniContract, type MuniSectionRow } from '../contract/muni';
import { countOf } from '../format';
import { currentDistrictId } from './app';
import type { Handlers } from './types';

function liveSection(store: Store, id: string) {
  const s = getRow(store, 'muni_roadmap_sections', id);
  if (!s || s.deleted_at) throw new AppError('not_found', 'Раздел дорожной карты не найден: возможно, его удалили.');
  return s;
}

function liveItem(store: Store, id: string) {
  const s = getRow(store, 'muni_roadmap_items', id);
  if (!s || s.deleted_at) throw new AppError('not_found', 'Пункт дорожной карты не найден: возможно, его удалили.');
  return s;
}

function nextPosition(store: Store, where: { district_id: string; year: number } | { section_id: string }): number {
  const q =
    'section_id' in where
      ? qb.selectFrom('muni_roadmap_items').select((eb) => eb.fn.max('position').as('p')).where('section_id', '=', where.section_id)
      : qb.selectFrom('muni_roadmap_sections').select((eb) => eb.fn.max('position').as('p')).where('district_id', '=', where.district_id).where('year', '=', where.year);
  const max = store.first(q);
  return (max?.p != null ? Number(max.p) : 0) + 1;
}

export function createMuniSection(store: Store, year: number, title: string) {
  const district_id = currentDistrictId(store);
  return insertRow(store, 'muni_roadmap_sections', { district_id, year, title, position: nextPosition(store, { district_id, year }) });
}

export function createMuniItem(store: Store, input: { section_id: string; description: string; period_text: string; responsible: string | null; indicator: string | null }) {
  liveSection(store, input.section_id);
  return insertRow(store, 'muni_roadmap_items', { ...input, position: nextPosition(store, { section_id: input.section_id }) });
}

/** Upserts the report of one item for one stage; an empty report is removed. */
export function saveMuniReport(store: Store, input: { item_id: string; stage_id: string; text: string; links: string | null }) {
  return store.tx(() => {
    liveItem(store, input.item_id);
    const stage = getRow(store, 'calendar_stages', input.stage_id);
    if (!stage || stage.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { stage_id: 'Такого этапа нет в календаре проекта' });
    const existing = store.first(qb.selectFrom('muni_roadmap_reports').selectAll().where('item_id', '=', input.item_id).where('stage_id', '=', input.stage_id).orderBy('created_at').limit(1));
    const empty = !input.text && !input.links;
    if (empty) {
      if (existing && !existing.deleted_at) softDelete(store, 'muni_roadmap_reports', existing.id);
      return null;
    }
    if (!existing) return insertRow(store, 'muni_roadmap_reports', input);
    if (existing.deleted_at) restoreRow(store, 'muni_roadmap_reports', existing.id);
    return updateRow(store, 'muni_roadmap_reports', existing.id, { text: input.text, links: input.links });
  });
}

export const muniHandlers: Handlers<typeof muniContract> = {
  'muni.get': ({ year }, { store }) => {
    const district_id = currentDistrictId(store);
    const sections = store.all(
      qb.selectFrom('muni_roadmap_sections').selectAll().where('district_id', '=', district_id).where('year', '=', year).where('deleted_at', 'is', null).orderBy('position'),
    );
    const ids = sections.map((s) => s.id);
    const items = ids.length
      ? store.all(qb.selectFrom('muni_roadmap_items').selectAll().where('section_id', 'in', ids).where('deleted_at', 'is', null).orderBy('position'))
      : [];
    const itemIds = items.map((i) => i.id);
    const reports = itemIds.length
      ? store.all(qb.selectFrom('muni_roadmap_reports').selectAll().where('item_id', 'in', itemIds).where('deleted_at', 'is', null))
      : [];
    const years = store
      .all(qb.selectFrom('muni_roadmap_sections').select('year').distinct().where('district_id', '=', district_id).where('deleted_at', 'is', null))
      .map((r) => r.year);
    if (!years.includes(year)) years.push(year);
    years.sort((a, b) => a - b);
    return {
      year,
      years,
      sections: sections.map((s): MuniSectionRow => ({
        ...s,
        items: items.filter((i) => i.section_id === s.id).map((i) => ({ ...i, reports: reports.filter((r) => r.item_id === i.id) })),
      })),
      stages: store.all(qb.selectFrom('calendar_stages').selectAll().where('year', '=', year).where('deleted_at', 'is', null).orderBy('deadline')),
    };
  },

  'muni.createStandardSections': ({ year }, { store }) =>
    store.tx(() => {
      const district_id = currentDistrictId(store);
      const have = new Set(
        store.all(qb.selectFrom('muni_roadmap_sections').select('title').where('district_id', '=', district_id).where('year', '=', year).where('deleted_at', 'is', null)).map((r) => r.title),
      );
      return MUNI_SECTION_TITLES.filter((t) => !have.has(t)).map((t) => createMuniSection(store, year, t));
    }),

  'muniSections.create': ({ year, title }, { store }) => createMuniSection(store, year, title),

  'muniSections.update': ({ id, title }, { store }) => {
    liveSection(store, id);
    return updateRow(store, 'muni_roadmap_sections', id, { title });
  },

  'muniSections.delete': ({ id }, { store }) => {
    liveSection(store, id);
    const n = store.first(qb.selectFrom('muni_roadmap_items').select((eb) => eb.fn.countAll<number>().as('n')).where('section_id', '=', id).where('deleted_at', 'is', null))?.n ?? 0;
    if (n > 0) throw new AppError('section_not_empty', `В разделе ${countOf(n, ['пункт', 'пункта', 'пунктов'])}: сначала удалите их.`);
    softDelete(store, 'muni_roadmap_sections', id);
    return null;
  },

  'muniItems.create': (input, { store }) => createMuniItem(store, input),

  'muniItems.update': ({ id, patch }, { store }) => {
    liveItem(store, id);
    return updateRow(store, 'muni_roadmap_items', id, patch);
  },

  'muniItems.delete': ({ id }, { store }) => {
    liveItem(store, id);
    softDelete(store, 'muni_roadmap_items', id);
    return null;
  },

  'muniReports.save': (input, { store }) => saveMuniReport(store, input),
};
