/** The overdue list and the completion series count measures by the one due rule (core/rules/due.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionOverTime, overdueMeasures } from '../../core/monitoring/monitoring';
import { insertRow } from '../../db/write';
import { openTestCore, type TestCore } from '../integration/coreFixture';

let t: TestCore;
let districtId = '';

beforeAll(() => {
  t = openTestCore();
  const store = t.core.ctx.store;
  store.tx(() => {
    const region = insertRow(store, 'regions', { name: 'Область' });
    districtId = insertRow(store, 'districts', { region_id: region.id, name: 'Район', visit_days_forming: 7, visit_days_implementing_due: 21, visit_days_implementing: 28 }).id;
    const school = insertRow(store, 'schools', { district_id: districtId, full_name: 'Школа № 1', short_name: 'Школа № 1', kind: 'СОШ', is_participant: true, stage: 'implementing' });
    const prog = insertRow(store, 'programmes', { school_id: school.id, kind: 'arp', title: 'АРП', goal: 'Цель', target_indicators: 'x', period_from: '2021-01-01', period_to: '2022-12-31' });
    const texts: [string, string | null][] = [
      ['12.05.2022', '2022-05-12'],
      ['IV квартал 2022', null],
      ['май 2022', null],
      ['в течение года', null],
    ];
    texts.forEach(([text, iso], i) =>
      insertRow(store, 'measures', { programme_id: prog.id, task_id: null, position: i + 1, title: `«${text}»`, date_text: text, date_from: iso, date_to: iso, indicator: 'Протокол', unplanned: false, status: 'planned' }),
    );
  });
});
afterAll(() => t.close());

const overdue = (today: string) => overdueMeasures(t.core.ctx.store, districtId, today).map((m) => [m.title, m.dueDate]);

describe('overdue and completion by the due rule', () => {
  it('«IV квартал 2022» is not overdue on 31.01.2021, nor anything else yet', () => {
    expect(overdue('2021-01-31')).toEqual([]);
  });

  it('mid-2022: the date and the month are overdue after their end; the quarter and the phrase without a period are not', () => {
    expect(overdue('2022-06-01')).toEqual([
      ['«12.05.2022»', '2022-05-12'],
      ['«май 2022»', '2022-05-31'],
    ]);
  });

  it('after the programme ends: the quarter and «в течение года» are overdue too', () => {
    expect(overdue('2023-01-02').map(([title]) => title)).toEqual(['«12.05.2022»', '«май 2022»', '«IV квартал 2022»', '«в течение года»']);
  });

  it('the completion series counts the same measures as due at each month end', () => {
    const points = completionOverTime(t.core.ctx.store, districtId, '2022-04-01', '2022-12-31');
    expect(points.map((p) => [p.date, p.due])).toEqual([
      ['2022-04-30', 0],
      ['2022-05-31', 2],
      ['2022-06-30', 2],
      ['2022-07-31', 2],
      ['2022-08-31', 2],
      ['2022-09-30', 2],
      ['2022-10-31', 2],
      ['2022-11-30', 2],
      ['2022-12-31', 4],
    ]);
  });
});
