import { AppError } from '../../db/errors';
import { getMeta } from '../../db/replica';
import { qb } from '../../db/store';
import type { reportsContract, ReportRequest } from '../contract/reports';
import { personShort } from '../format';
import { asOfLine, readAsOfDay } from '../asOfDay';
import { todayOf } from '../localDay';
import { clearMark, computeSheets, saveMark } from '../monitoring/expertiseData';
import { dueOverrideCriterion } from '../rules/expertise';
import { completionOverTime, curatorEngagement, overdueMeasures, pendingEvidence, visitCompliance, visitsPerCuratorMonth } from '../monitoring/monitoring';
import { summarise } from '../monitoring/summary';
import { buildReport, districtIdOf, exportReport, previewOf, readExport } from '../reports/exports.node';
import type { Handlers } from './types';
import { signedInPerson } from './author';
import { naturally } from '../search';

function checkPeriod(req: ReportRequest): void {
  if ('from' in req && req.from > req.to) throw new AppError('validation', 'Проверьте период', { 'request.to': 'Дата окончания раньше даты начала' });
}

export const reportsHandlers: Handlers<typeof reportsContract> = {
  'reports.options': (_input, { store }) => {
    // One district: the laptop's (core/handlers/app.ts currentDistrictId); the lists below are of it alone.
    const districtId = getMeta(store, 'district_id') ?? null;
    const districts = store.all(qb.selectFrom('districts').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name'));
    const curators = store.all(
      qb
        .selectFrom('people')
        .select(['id', 'last_name', 'first_name', 'middle_name', 'district_id'])
        .where('deleted_at', 'is', null)
        .where('is_curator', '=', 1)
        .$if(!!districtId, (q) => q.where('district_id', '=', districtId!))
        .orderBy('last_name'),
    );
    const programmes = store.all(
      qb
        .selectFrom('programmes as p')
        .innerJoin('schools as s', 's.id', 'p.school_id')
        .select(['p.id', 'p.title', 's.short_name', 's.district_id'])
        .where('p.deleted_at', 'is', null)
        .where('p.kind', '=', 'arp')
        .$if(!!districtId, (q) => q.where('s.district_id', '=', districtId!))
        .orderBy(naturally('s.short_name')),
    );
    const stages = store.all(qb.selectFrom('calendar_stages').select(['id', 'year', 'code', 'title', 'deadline']).where('deleted_at', 'is', null).orderBy('deadline'));
    const now = todayOf(store);
    const passed = stages.filter((s) => s.deadline <= now && s.code.startsWith('M'));
    return {
      districtId,
      districts,
      curators: curators.map((p) => ({ id: p.id, name: personShort(p), districtId: p.district_id })),
      programmes: programmes.map((p) => ({ id: p.id, title: p.title, schoolName: p.short_name, districtId: p.district_id })),
      stages,
      defaultReportingDate: passed.at(-1)?.deadline ?? now,
    };
  },

  'expertise.list': ({ districtId, reportingDate }, { store }) => {
    const rows = readAsOfDay(store, reportingDate, () => computeSheets(store, { districtId: districtIdOf(store, districtId) }, reportingDate));
    return { rows, summary: summarise(reportingDate, rows), asOf: asOfLine(store, reportingDate) };
  },

  'expertise.sheet': ({ programmeId, reportingDate }, { store }) => {
    const row = readAsOfDay(store, reportingDate, () => computeSheets(store, { programmeId }, reportingDate)[0]);
    if (!row) throw new AppError('not_found', 'Антирисковая программа не найдена.');
    return row;
  },

  'expertise.mark': (input, { store }) => {
    const exists = store.first(qb.selectFrom('programmes').select('id').where('id', '=', input.programmeId).where('deleted_at', 'is', null).where('kind', '=', 'arp'));
    if (!exists) throw new AppError('not_found', 'Антирисковая программа не найдена: возможно, её удалили.');
    saveMark(store, { programmeId: input.programmeId, reportingDate: input.reportingDate, criterion: input.criterion, value: input.value, comment: input.comment, byPersonId: signedInPerson(store) });
    return readAsOfDay(store, input.reportingDate, () => computeSheets(store, { programmeId: input.programmeId }, input.reportingDate)[0]!);
  },

  'expertise.overrideDue': (input, { store }) => {
    const measure = store.first(
      qb.selectFrom('measures').select('id').where('id', '=', input.measureId).where('programme_id', '=', input.programmeId).where('deleted_at', 'is', null),
    );
    if (!measure) throw new AppError('not_found', 'Мероприятие не найдено в этой программе: возможно, его удалили.');
    const criterion = dueOverrideCriterion(input.measureId);
    if (input.due === null) clearMark(store, { programmeId: input.programmeId, reportingDate: input.reportingDate, criterion });
    else saveMark(store, { programmeId: input.programmeId, reportingDate: input.reportingDate, criterion, value: input.due ? 1 : 0, comment: input.comment, byPersonId: signedInPerson(store) });
    return readAsOfDay(store, input.reportingDate, () => computeSheets(store, { programmeId: input.programmeId }, input.reportingDate)[0]!);
  },

  'monitoring.dashboard': ({ districtId, reportingDate, from, to }, { store }) => {
    const d = districtIdOf(store, districtId);
    // The period's figures as the data stood at its end; what is overdue, as of that day too.
    const day = to < todayOf(store) ? to : todayOf(store);
    const sheets = () => computeSheets(store, { districtId: d }, reportingDate);
    // The expertise is of its own reporting date: read apart unless it is the same day.
    const apart = reportingDate === day ? null : readAsOfDay(store, reportingDate, sheets);
    return readAsOfDay(store, day, () => ({
      from,
      to,
      asOf: asOfLine(store, day),
      summary: summarise(reportingDate, apart ?? sheets()),
      engagement: curatorEngagement(store, d, from, to),
      compliance: visitCompliance(store, d, from, to),
      visitsByMonth: visitsPerCuratorMonth(store, d, from, to),
      completion: completionOverTime(store, d, from, to),
      overdue: overdueMeasures(store, d, day),
      pending: pendingEvidence(store, d, day),
    }));
  },

  'reports.preview': ({ request }, { store }) => {
    checkPeriod(request);
    return previewOf(buildReport(store, request));
  },

  'reports.export': ({ request }, ctx) => {
    checkPeriod(request);
    return exportReport(ctx, request);
  },

  'reports.download': ({ fileName }, ctx) => readExport(ctx, fileName),
};
