/**
 * The municipal roadmap (seeds 002, 004): sections per year, items with period,
 * responsible and municipal indicator, and report information per monitoring stage.
 */
import { call } from './define';
import { byId, id, optText, text, year, z } from './common';
import type { Row } from '../../db/schema';

/** The sections seed 004 uses; a district may add its own. */
export const MUNI_SECTION_TITLES = [
  'Организационное сопровождение Проекта 500+',
  'Информационное сопровождение Проекта 500+',
  'Методическое сопровождение Проекта 500+',
  'Участие в мониторинговых исследованиях',
] as const;

export const muniItemInput = z.strictObject({
  description: text(3000),
  period_text: text(300),
  responsible: optText(1000),
  indicator: optText(3000),
});

export interface MuniItemRow extends Row<'muni_roadmap_items'> {
  reports: Row<'muni_roadmap_reports'>[];
}

export interface MuniSectionRow extends Row<'muni_roadmap_sections'> {
  items: MuniItemRow[];
}

export interface MuniRoadmap {
  year: number;
  /** Years that have a roadmap, plus the requested one. */
  years: number[];
  sections: MuniSectionRow[];
  stages: Row<'calendar_stages'>[];
}

export const muniContract = {
  'muni.get': call<MuniRoadmap>()(z.strictObject({ year })),
  'muni.createStandardSections': call<Row<'muni_roadmap_sections'>[]>()(z.strictObject({ year })),
  'muniSections.create': call<Row<'muni_roadmap_sections'>>()(z.strictObject({ year, title: text(500) })),
  'muniSections.update': call<Row<'muni_roadmap_sections'>>()(z.strictObject({ id, title: text(500) })),
  'muniSections.delete': call<null>()(byId),
  'muniItems.create': call<Row<'muni_roadmap_items'>>()(muniItemInput.extend({ section_id: id })),
  'muniItems.update': call<Row<'muni_roadmap_items'>>()(z.strictObject({ id, patch: muniItemInput.partial() })),
  'muniItems.delete': call<null>()(byId),
  'muniReports.save': call<Row<'muni_roadmap_reports'> | null>()(
    z.strictObject({
      item_id: id,
      stage_id: id,
      text: z.string().trim().max(10000, { message: 'Не длиннее 10000 символов' }),
      links: z
        .string()
        .max(10000)
        .nullish()
        .transform((v) => (v ?? '').split(/\s*\n\s*/).map((l) => l.trim()).filter(Boolean))
        .refine((links) => links.every((l) => /^https?:\/\/\S+$/.test(l)), { message: 'Каждая ссылка — с новой строки и начинается с http:// или https://' })
        .transform((links) => (links.length ? links.join('\n') : null)),
    }),
  ),
};
