import { call } from './define';
import { byId, id, optText, page, text, url, year, z } from './common';
import type { Row } from '../../db/schema';
import type { VisitStatus } from '../rules/visits';

export const schoolKinds = ['СОШ', 'ООШ', 'НОШ', 'Гимназия', 'Лицей', 'Школа-интернат', 'Центр образования', 'Другое'] as const;

export const schoolInput = z.strictObject({
  full_name: text(500),
  short_name: text(200),
  kind: z.enum(schoolKinds, { message: 'Выберите тип из списка' }),
  is_participant: z.boolean(),
  cohort_year: year.nullish().transform((v) => v ?? null),
  risk_group: optText(200),
  director_id: id.nullish().transform((v) => v ?? null),
  stage: z.enum(['forming', 'implementing']),
  address: optText(500),
  site_url: url,
  notes: optText(5000),
});

export type SchoolInput = z.input<typeof schoolInput>;

export const schoolListQuery = z.strictObject({
  search: z.string().max(200).default(''),
  participant: z.enum(['all', 'participant', 'donor']).default('all'),
  cohort_year: year.nullish(),
  risk_group: z.string().max(200).nullish(),
  sort: z.enum(['short_name', 'kind', 'cohort_year', 'risk_group']).default('short_name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  ...page,
});

export type SchoolListQuery = z.input<typeof schoolListQuery>;

export interface SchoolListRow {
  id: string;
  short_name: string;
  full_name: string;
  kind: string;
  is_participant: 0 | 1;
  cohort_year: number | null;
  risk_group: string | null;
  stage: Row<'schools'>['stage'];
  curator_name: string | null;
  director_name: string | null;
  /** Visit compliance (core/rules/visits.ts); null for donor schools, which are not visited. */
  visit_status: VisitStatus | null;
  days_since_visit: number | null;
}

export interface SchoolList {
  rows: SchoolListRow[];
  total: number;
}

export interface RiskProfileRow extends Row<'risk_profiles'> {
  factor_title: string;
  factor_code: string;
  factor_year: number;
  /** Who marked the profile verified (verified_by), for the card. */
  verified_by_name: string | null;
}

export interface SchoolCard {
  school: Row<'schools'>;
  director: Row<'people'> | null;
  riskProfiles: RiskProfileRow[];
  curators: { assignment: Row<'curator_assignments'>; curator: Row<'people'>; order: Row<'orders'> | null }[];
}

export interface SchoolFilterOptions {
  cohortYears: number[];
  riskGroups: string[];
}

export const riskProfileInput = z.strictObject({
  school_id: id,
  risk_factor_id: id,
  level: z.enum(['high', 'medium', 'low']),
  activated: z.boolean(),
  verified: z.boolean(),
});

export const schoolsContract = {
  'schools.list': call<SchoolList>()(schoolListQuery),
  'schools.filterOptions': call<SchoolFilterOptions>()(z.strictObject({})),
  'schools.get': call<SchoolCard>()(byId),
  'schools.create': call<Row<'schools'>>()(schoolInput),
  'schools.update': call<Row<'schools'>>()(z.strictObject({ id, patch: schoolInput.partial() })),
  'schools.delete': call<null>()(byId),
  'riskFactors.list': call<Row<'risk_factors'>[]>()(z.strictObject({})),
  'riskProfiles.save': call<Row<'risk_profiles'>>()(riskProfileInput),
  'riskProfiles.delete': call<null>()(byId),
};
