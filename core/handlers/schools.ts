import { sql, type SqlBool } from 'kysely';
import { AppError } from '../../db/errors';
import type { Row } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, restoreRow, softDelete, updateRow } from '../../db/write';
import type { RiskProfileRow, schoolsContract, SchoolListRow } from '../contract/schools';
import { personShort } from '../format';
import { todayOf } from '../localDay';
import { currentAssignmentSql, sqlDate } from '../rules/assignments';
import { containsPattern, foldedLike, naturally, parseSchoolQuery, prefixPattern, wholeNumberGlob } from '../search';
import { currentDistrictId } from './app';
import { signedInPerson } from './author';
import { requireReferences } from './references';
import { complianceOfRow, lastVisitOf, thresholdsOf } from './visits';
import type { Handlers } from './types';
import { packedNameSql, shortFromPacked } from '../packedName';

const curatorName = (today: string) => sql<string | null>`(
  SELECT ${sql.raw(packedNameSql('p'))}
  FROM curator_assignments a JOIN people p ON p.id = a.curator_id
  WHERE a.school_id = schools.id AND p.deleted_at IS NULL AND ${sql.raw(currentAssignmentSql('a', sqlDate(today)))}
  ORDER BY a.date_from DESC LIMIT 1)`;

/**
 * A person linked to `schools` — its director, a current curator, anyone whose organisation it
 * is — whose surname starts with `pattern` (a LIKE pattern on folded text). `day` is an SQL date literal.
 */
const linkedPersonNamed = (pattern: string, day: string) => sql<SqlBool>`EXISTS (
  SELECT 1 FROM people p WHERE p.deleted_at IS NULL AND fold(p.last_name) LIKE ${pattern} ESCAPE '\\'
    AND (p.id = schools.director_id OR p.organisation_id = schools.id OR EXISTS (
      SELECT 1 FROM curator_assignments a WHERE a.curator_id = p.id AND a.school_id = schools.id AND ${sql.raw(currentAssignmentSql('a', day))})))`;

const directorName = sql<string | null>`(
  SELECT ${sql.raw(packedNameSql('p'))}
  FROM people p WHERE p.id = schools.director_id AND p.deleted_at IS NULL)`;

/**
 * Who verified a risk profile and when: the signed-in person at the moment it becomes verified,
 * kept while it stays verified, cleared when the mark is taken off.
 */
function verificationOf(
  store: Store,
  verified: boolean,
  existing: Pick<Row<'risk_profiles'>, 'verified' | 'verified_by' | 'verified_at' | 'deleted_at'> | undefined,
): Pick<Row<'risk_profiles'>, 'verified_by' | 'verified_at'> {
  if (!verified) return { verified_by: null, verified_at: null };
  if (existing?.verified && !existing.deleted_at) return { verified_by: existing.verified_by, verified_at: existing.verified_at };
  return { verified_by: signedInPerson(store), verified_at: new Date().toISOString() };
}

export const schoolsHandlers: Handlers<typeof schoolsContract> = {
  'schools.list': (q, { store }) => {
    let base = qb.selectFrom('schools').where('schools.deleted_at', 'is', null).where('schools.district_id', '=', currentDistrictId(store));
    const { number, words } = parseSchoolQuery(q.search);
    if (number) {
      const glob = wholeNumberGlob(number);
      base = base.where(sql<SqlBool>`(' ' || schools.short_name || ' ' GLOB ${glob} OR ' ' || schools.full_name || ' ' GLOB ${glob})`);
    }
    const linkedDay = sqlDate(todayOf(store));
    for (const word of words) {
      const p = containsPattern(word);
      base = base.where((eb) =>
        eb.or([foldedLike('schools.short_name', p), foldedLike('schools.full_name', p), foldedLike('schools.kind', p), linkedPersonNamed(prefixPattern(word), linkedDay)]),
      );
    }
    if (q.participant !== 'all') base = base.where('schools.is_participant', '=', q.participant === 'participant' ? 1 : 0);
    if (q.cohort_year != null) base = base.where('schools.cohort_year', '=', q.cohort_year);
    if (q.risk_group) base = base.where('schools.risk_group', '=', q.risk_group);

    const total = store.first(base.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
    const today = todayOf(store);
    const rows = store.all(
      base
        .select(['id', 'short_name', 'full_name', 'kind', 'is_participant', 'cohort_year', 'risk_group', 'stage'])
        .select(curatorName(today).as('curator_packed'))
        .select(directorName.as('director_packed'))
        .select([lastVisitOf(today).as('last_visit'), thresholdsOf.as('visit_thresholds')])
        .orderBy(q.sort === 'short_name' ? naturally('schools.short_name') : sql.ref(`schools.${q.sort}`), q.dir)
        .orderBy('schools.id')
        .limit(q.limit)
        .offset(q.offset),
    );
    return {
      total,
      rows: rows.map(({ curator_packed, director_packed, last_visit, visit_thresholds, ...r }): SchoolListRow => {
        const visit = complianceOfRow({ last_visit, visit_thresholds, stage: r.stage }, today);
        return {
          ...r,
          visit_status: r.is_participant ? visit.status : null,
          days_since_visit: visit.days,
          curator_name: shortFromPacked(curator_packed),
          director_name: shortFromPacked(director_packed),
        };
      }),
    };
  },

  'schools.filterOptions': (_i, { store }) => {
    const district = currentDistrictId(store);
    const years = store.all(qb.selectFrom('schools').select('cohort_year').distinct().where('deleted_at', 'is', null).where('district_id', '=', district).where('cohort_year', 'is not', null).orderBy('cohort_year'));
    const groups = store.all(qb.selectFrom('schools').select('risk_group').distinct().where('deleted_at', 'is', null).where('district_id', '=', district).where('risk_group', 'is not', null).orderBy('risk_group'));
    return { cohortYears: years.map((r) => r.cohort_year!), riskGroups: groups.map((r) => r.risk_group!) };
  },

  'schools.get': ({ id }, { store }) => {
    const school = getRow(store, 'schools', id);
    if (!school) throw new AppError('not_found', 'Школа не найдена.');
    const director = school.director_id ? (getRow(store, 'people', school.director_id) ?? null) : null;
    const riskProfiles = store.all(
      qb
        .selectFrom('risk_profiles as rp')
        .innerJoin('risk_factors as f', 'f.id', 'rp.risk_factor_id')
        .leftJoin('people as vp', 'vp.id', 'rp.verified_by')
        .selectAll('rp')
        .select(['f.title as factor_title', 'f.code as factor_code', 'f.year as factor_year', 'vp.last_name', 'vp.first_name', 'vp.middle_name'])
        .where('rp.school_id', '=', id)
        .where('rp.deleted_at', 'is', null)
        .orderBy(naturally('f.code')),
    );
    const assignments = store.all(qb.selectFrom('curator_assignments').selectAll().where('school_id', '=', id).where('deleted_at', 'is', null).orderBy('date_from', 'desc'));
    const curators = assignments.flatMap((assignment) => {
      const curator = getRow(store, 'people', assignment.curator_id);
      if (!curator || curator.deleted_at) return [];
      const order = assignment.order_id ? (getRow(store, 'orders', assignment.order_id) ?? null) : null;
      return [{ assignment, curator, order }];
    });
    return {
      school,
      director: director?.deleted_at ? null : director,
      riskProfiles: riskProfiles.map(({ last_name, first_name, middle_name, ...rp }): RiskProfileRow => ({
        ...rp,
        verified_by_name: last_name ? personShort({ last_name, first_name: first_name ?? '', middle_name }) : null,
      })),
      curators,
    };
  },

  'schools.create': (input, { store }) => {
    requireReferences(store, [['director_id', 'people', input.director_id]]);
    return insertRow(store, 'schools', { ...input, district_id: currentDistrictId(store) });
  },

  'schools.update': ({ id, patch }, { store }) => {
    requireReferences(store, [['director_id', 'people', patch.director_id]]);
    return updateRow(store, 'schools', id, patch);
  },

  'schools.delete': ({ id }, { store }) => {
    softDelete(store, 'schools', id);
    return null;
  },

  'riskFactors.list': (_i, { store }) =>
    store.all(qb.selectFrom('risk_factors').selectAll().where('deleted_at', 'is', null).orderBy('year', 'desc').orderBy(naturally('code'))),

  'riskProfiles.save': (input, { store }) =>
    store.tx(() => {
      const existing = store.first(
        qb
          .selectFrom('risk_profiles')
          .select(['id', 'deleted_at', 'verified', 'verified_by', 'verified_at'])
          .where('school_id', '=', input.school_id)
          .where('risk_factor_id', '=', input.risk_factor_id),
      );
      const verification = verificationOf(store, input.verified, existing);
      if (!existing) return insertRow(store, 'risk_profiles', { ...input, ...verification });
      // A factor removed earlier and set again: the same row comes back rather than a duplicate.
      if (existing.deleted_at) restoreRow(store, 'risk_profiles', existing.id);
      return updateRow(store, 'risk_profiles', existing.id, { level: input.level, activated: input.activated, verified: input.verified, ...verification });
    }),

  'riskProfiles.delete': ({ id }, { store }) => {
    softDelete(store, 'risk_profiles', id);
    return null;
  },
};

