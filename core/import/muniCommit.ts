/**
 * Writing an imported municipal roadmap into the year's sections, items and (for the
 * chosen monitoring stage) reports, inside the call's one transaction. Matched by text
 * like the АРП roadmap (roadmapCommit.ts): a section by its title, an item by its
 * section and description, a report by its item and stage; importing again writes
 * nothing, and what the file leaves empty never blanks what the app has.
 */
import { AppError } from '../../db/errors';
import type { Row } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, updateRow } from '../../db/write';
import type { ImportCounts, MuniCommit, MuniCommitResult } from '../contract/roadmapImports';
import { currentDistrictId } from '../handlers/app';
import { saveMuniReport } from '../handlers/muni';
import { sameText } from './roadmapCommit';

const counts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

export function commitMuniRoadmap(store: Store, input: { year: number; stage_id: string | null; sections: MuniCommit['sections'] }): MuniCommitResult {
  const district_id = currentDistrictId(store);
  if (input.stage_id) {
    const stage = getRow(store, 'calendar_stages', input.stage_id);
    if (!stage || stage.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { stage_id: 'Такого этапа нет в календаре проекта' });
  }
  const result: MuniCommitResult = { sections: counts(), items: counts(), reports: counts() };
  const sections = new Map<string, string>();
  let sectionPosition = 0;
  for (const s of store.all(qb.selectFrom('muni_roadmap_sections').select(['id', 'title', 'position']).where('district_id', '=', district_id).where('year', '=', input.year).where('deleted_at', 'is', null))) {
    sections.set(sameText(s.title), s.id);
    sectionPosition = Math.max(sectionPosition, s.position);
  }

  for (const draft of input.sections) {
    let sectionId = sections.get(sameText(draft.title));
    if (sectionId) result.sections.unchanged++;
    else {
      sectionId = insertRow(store, 'muni_roadmap_sections', { district_id, year: input.year, title: draft.title, position: ++sectionPosition }).id;
      sections.set(sameText(draft.title), sectionId);
      result.sections.created++;
    }
    const items = new Map<string, Row<'muni_roadmap_items'>>();
    let itemPosition = 0;
    for (const i of store.all(qb.selectFrom('muni_roadmap_items').selectAll().where('section_id', '=', sectionId).where('deleted_at', 'is', null))) {
      items.set(sameText(i.description), i);
      itemPosition = Math.max(itemPosition, i.position);
    }
    for (const d of draft.items) {
      let item = items.get(sameText(d.description));
      if (!item) {
        item = insertRow(store, 'muni_roadmap_items', {
          section_id: sectionId,
          position: ++itemPosition,
          description: d.description,
          period_text: d.period_text,
          responsible: d.responsible,
          indicator: d.indicator,
        });
        items.set(sameText(d.description), item);
        result.items.created++;
      } else {
        const patch: Partial<Pick<Row<'muni_roadmap_items'>, 'period_text' | 'responsible' | 'indicator'>> = {};
        for (const f of ['period_text', 'responsible', 'indicator'] as const) if (d[f] && d[f] !== item[f]) patch[f] = d[f];
        if (Object.keys(patch).length) {
          updateRow(store, 'muni_roadmap_items', item.id, patch);
          result.items.updated++;
        } else result.items.unchanged++;
      }
      if (!input.stage_id || (!d.report_text && d.report_links.length === 0)) continue;
      const links = d.report_links.length ? d.report_links.join('\n') : null;
      const existing = store.first(
        qb.selectFrom('muni_roadmap_reports').selectAll().where('item_id', '=', item.id).where('stage_id', '=', input.stage_id).where('deleted_at', 'is', null).limit(1),
      );
      if (existing && existing.text === d.report_text && existing.links === links) {
        result.reports.unchanged++;
        continue;
      }
      saveMuniReport(store, { item_id: item.id, stage_id: input.stage_id, text: d.report_text, links });
      result.reports[existing ? 'updated' : 'created']++;
    }
  }
  return result;
}
