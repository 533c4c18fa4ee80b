import { describe, expect, it } from 'vitest';
import { percentText, shownPercent } from '../../core/format';
import {
  evidenceBand,
  meetsEvidenceShare,
  planBand,
  planPoints,
  scoreProgramme,
  type DateCheck,
  type RubricEvidence,
  type RubricInput,
  type RubricMeasure,
} from '../../core/rules/expertise';

const check: DateCheck = (m) => (m.date_from ? { concrete: true, reason: null } : { concrete: false, reason: 'нет даты' });

let n = 0;
const measure = (over: Partial<RubricMeasure> = {}): RubricMeasure => ({
  id: `m${++n}`,
  title: `Мероприятие ${n}`,
  date_text: '12.05.2022',
  date_from: '2022-05-12',
  date_to: null,
  indicator: 'Проведено',
  unplanned: 0,
  status: 'done',
  ...over,
});
const doc = (m: RubricMeasure, verdict: RubricEvidence['verdict'] = 'confirmed'): RubricEvidence => ({ id: `e${++n}`, measure_id: m.id, title: `Протокол ${n}`, verdict });

/** A roadmap of `due` measures due by the date, `ok` of them done and confirmed. */
function roadmap(ok: number, due: number): Pick<RubricInput, 'measures' | 'evidence'> {
  const measures = Array.from({ length: due }, (_, i) => measure({ status: i < ok ? 'done' : 'not_done' }));
  return { measures, evidence: measures.slice(0, ok).map((m) => doc(m)) };
}

function input(over: Partial<RubricInput>): RubricInput {
  return {
    programme: { id: 'p1', title: 'АРП', target_indicators: 'Качество +5%' },
    tasks: [{ id: 't1', title: 'Задача' }],
    measures: [],
    evidence: [],
    marks: [],
    reportingDate: '2022-06-30',
    checkDate: check,
    ...over,
  };
}

const assessed = (s: ReturnType<typeof scoreProgramme>) => {
  if (!s.assessable) throw new Error('expected an assessed sheet');
  return s;
};

describe('plan points: the exact ratio against 1/4, 1/2, 3/4', () => {
  it.each([
    [0, 4, 0],
    [0, 1, 0],
    [1, 5, 0], // 20%
    [1, 4, 1], // exactly 1/4
    [24, 97, 0], // 24.7%: just under 1/4
    [49, 100, 1], // just under 1/2
    [1, 2, 2], // exactly 1/2
    [51, 100, 2], // just over 1/2
    [2, 3, 2], // 66.7%
    [74, 99, 2], // 74.7%: rounds to 75% but is under 3/4
    [3, 4, 3], // exactly 3/4
    [4, 4, 3], // all
  ])('%i of %i → %i', (ok, due, points) => {
    expect(planPoints(ok, due)).toBe(points);
    expect(assessed(scoreProgramme(input(roadmap(ok, due)))).plan.points).toBe(points);
  });

  it('shows one decimal where the whole percent would read as the next band (74,7% is 2 points, not «75%»)', () => {
    const s = assessed(scoreProgramme(input(roadmap(74, 99))));
    expect(s.plan.percent).toBe(74.7);
    expect(s.plan.reason).toContain('74 из 99');
    expect(s.plan.reason).toContain('(74,7%)');
  });

  it('rounds half up otherwise, as seed 003 prints: 2 of 7 → 29%, 1 of 8 → 13%', () => {
    expect(assessed(scoreProgramme(input(roadmap(2, 7)))).plan.percent).toBe(29);
    expect(assessed(scoreProgramme(input(roadmap(1, 8)))).plan.percent).toBe(13);
  });

  it('the shown percent falls in the band of its points for every share up to 200 measures', () => {
    for (let due = 1; due <= 200; due++) {
      for (let ok = 0; ok <= due; ok++) {
        const shown = shownPercent(ok, due, planBand);
        if (planBand(shown) !== planPoints(ok, due)) throw new Error(`${ok} из ${due}: ${shown}% в полосе ${planBand(shown)}, баллов ${planPoints(ok, due)}`);
      }
    }
    // Each band's ends, exactly: 25%, 50%, 75% open the next band; just under stays below.
    expect([percentText(1, 4, planBand), planPoints(1, 4)]).toEqual(['25%', 1]);
    expect([percentText(49, 200, planBand), planPoints(49, 200)]).toEqual(['24,5%', 0]);
    expect([percentText(1, 2, planBand), planPoints(1, 2)]).toEqual(['50%', 2]);
    expect([percentText(199, 400, planBand), planPoints(199, 400)]).toEqual(['49,8%', 1]);
    expect([percentText(3, 4, planBand), planPoints(3, 4)]).toEqual(['75%', 3]);
    expect([percentText(149, 200, planBand), planPoints(149, 200)]).toEqual(['74,5%', 2]);
    expect([percentText(0, 4, planBand), percentText(4, 4, planBand)]).toEqual(['0%', '100%']);
  });

  it('the evidence criteria show 79,6% (not «80%») when the share misses 80%', () => {
    expect(meetsEvidenceShare(199, 250)).toBe(false);
    expect(percentText(199, 250, evidenceBand)).toBe('79,6%');
    expect(percentText(4, 5, evidenceBand)).toBe('80%');
    for (let whole = 1; whole <= 200; whole++) {
      for (let part = 0; part <= whole; part++) {
        if (evidenceBand(shownPercent(part, whole, evidenceBand)) !== meetsEvidenceShare(part, whole)) throw new Error(`${part} из ${whole}`);
      }
    }
  });

  it('no measures due by the reporting date → Н/о for the plan, max 5', () => {
    const s = assessed(scoreProgramme(input({ measures: [measure({ date_from: '2022-09-01' })] })));
    expect(s.plan.points).toBeNull();
    expect(s.plan.reason).toContain('Н/о');
    expect(s.max).toBe(5);
  });

  it('counts a measure due on the reporting date itself, not the day after; a range is due at its end', () => {
    const onDay = measure({ date_from: '2022-06-30' });
    const after = measure({ date_from: '2022-07-01', status: 'not_done' });
    const range = measure({ date_from: '2022-06-01', date_to: '2022-07-15', status: 'not_done' });
    const s = assessed(scoreProgramme(input({ measures: [onDay, after, range], evidence: [doc(onDay)] })));
    expect(s.plan.due).toBe(1);
    expect(s.plan.points).toBe(3);
  });

  it('done without a confirmed document does not count, and the reason says which', () => {
    const a = measure();
    const b = measure();
    const s = assessed(scoreProgramme(input({ measures: [a, b], evidence: [doc(a), doc(b, 'pending')] })));
    expect(s.plan.doneAndConfirmed).toBe(1);
    expect(s.plan.missing).toEqual([{ id: b.id, title: b.title, note: 'выполнено, но ни один документ не подтверждён куратором' }]);
  });

  it('a confirmed document on a measure not marked done scores 0 and is flagged, on the sheet and in the summary comment', async () => {
    const { summarise } = await import('../../core/monitoring/summary');
    const planned = measure({ status: 'planned' });
    const s = assessed(scoreProgramme(input({ measures: [planned], evidence: [doc(planned)] })));
    expect(s.plan.doneAndConfirmed).toBe(0);
    expect(s.plan.missing).toEqual([{ id: planned.id, title: planned.title, note: 'статус «запланировано»: документ подтверждён, но мероприятие не отмечено выполненным', confirmedNotDone: true }]);
    const summary = summarise('2022-06-30', [{ programmeId: 'p1', programmeTitle: 'АРП', schoolId: 's1', schoolName: 'Школа', districtId: 'd1', districtName: 'Район', sheet: s, note: null }]);
    expect(summary.districts[0]!.rows[0]!.comment).toContain('Документ подтверждён, но мероприятие не отмечено выполненным: 1');
  });

  it('unplanned and cancelled measures never enter the plan; one without a period is due over the programme (no end date: at the reporting date)', () => {
    const planned = measure();
    const unplanned = measure({ unplanned: 1 });
    const cancelled = measure({ status: 'cancelled' });
    const vague = measure({ date_text: 'в течение года', date_from: null, status: 'planned' });
    const s = assessed(scoreProgramme(input({ measures: [planned, unplanned, cancelled, vague], evidence: [doc(planned), doc(unplanned)] })));
    expect(s.plan.due).toBe(2);
    expect(s.plan.doneAndConfirmed).toBe(1);
    expect(s.plan.counted.map((u) => [u.id, u.note])).toEqual([
      [planned.id, '«12.05.2022»: срок 12.05.2022 наступил'],
      [vague.id, '«в течение года»: без срока: считается на весь период программы'],
    ]);
  });
});

describe('the due rule in the plan criterion', () => {
  const quarter = (over: Partial<RubricMeasure> = {}) => measure({ date_text: 'IV квартал 2022', date_from: null, status: 'not_done', ...over });

  it('«IV квартал 2022» in an expertise on 31.01.2021 is not due: the plan is Н/о and nothing is missing', () => {
    const q = quarter();
    const s = assessed(scoreProgramme(input({ measures: [q], reportingDate: '2021-01-31' })));
    expect(s.plan.points).toBeNull();
    expect(s.plan.missing).toEqual([]);
    expect(s.plan.notDue).toEqual([{ id: q.id, title: q.title, note: '«IV квартал 2022»: IV квартал 2022 ещё не начался (с 01.10.2022)', reading: 'period' }]);
  });

  it('within the quarter it is «в работе»; from 31.12.2022 it is due and counts as not done', () => {
    const q = quarter();
    const during = assessed(scoreProgramme(input({ measures: [q], reportingDate: '2022-11-15' })));
    expect(during.plan.due).toBe(0);
    expect(during.plan.notDue[0]!.note).toContain('в работе');
    const after = assessed(scoreProgramme(input({ measures: [q], reportingDate: '2022-12-31' })));
    expect(after.plan.due).toBe(1);
    expect(after.plan.points).toBe(0);
    expect(after.plan.counted[0]!.note).toBe('«IV квартал 2022»: IV квартал 2022 закончился 31.12.2022');
  });

  it('a done measure without a concrete date counts by the same rule: not before its period ends', () => {
    const done = quarter({ status: 'done' });
    const early = assessed(scoreProgramme(input({ measures: [done], evidence: [doc(done)], reportingDate: '2022-06-30' })));
    expect([early.plan.due, early.plan.doneAndConfirmed, early.plan.points]).toEqual([0, 0, null]);
    const late = assessed(scoreProgramme(input({ measures: [done], evidence: [doc(done)], reportingDate: '2023-01-10' })));
    expect([late.plan.due, late.plan.doneAndConfirmed, late.plan.points]).toEqual([1, 1, 3]);
  });

  it('a phrase with no period falls due at the programme\'s end', () => {
    const always = measure({ date_text: 'постоянно', date_from: null, status: 'planned' });
    const programme = { id: 'p1', title: 'АРП', target_indicators: 'x', period_to: '2022-12-31' };
    const mid = assessed(scoreProgramme(input({ programme, measures: [always], reportingDate: '2022-06-30' })));
    expect(mid.plan.due).toBe(0);
    expect(mid.plan.notDue[0]!.note).toBe('«постоянно»: без срока: считается на весь период программы, он идёт до 31.12.2022 — в работе');
    const end = assessed(scoreProgramme(input({ programme, measures: [always], reportingDate: '2022-12-31' })));
    expect(end.plan.due).toBe(1);
    expect(end.plan.counted[0]!.note).toBe('«постоянно»: без срока: считается на весь период программы (до 31.12.2022)');
  });
});

describe('«Н/о» and the one-point criteria', () => {
  it('no roadmap at all → Н/о', () => {
    const s = scoreProgramme(input({}));
    expect(s.assessable).toBe(false);
  });

  it('a perfect АРП scores 8 of 8 once the judged criteria are marked', () => {
    const r = roadmap(4, 4);
    const marks = [
      { criterion: 'indicators', value: 1 as const, comment: null, by_person_id: 'x', at: '2022-07-01T10:00:00Z' },
      { criterion: 'evidence_fact', value: 1 as const, comment: null, by_person_id: 'x', at: '2022-07-01T10:00:00Z' },
    ];
    const s = assessed(scoreProgramme(input({ ...r, marks })));
    expect(s.total).toBe(8);
    expect(s.awaitingMarks).toEqual([]);
  });

  it('without marks the judged criteria count their suggestion and the sheet says it awaits marks', () => {
    const s = assessed(scoreProgramme(input(roadmap(4, 4))));
    expect(s.total).toBe(8);
    expect(s.awaitingMarks).toEqual(['indicators', 'evidence_fact']);
    expect(s.criteria.find((c) => c.criterion === 'indicators')!.source).toBe('suggestion');
  });

  it('a mark overrides the suggestion; the latest mark wins', () => {
    const marks = [
      { criterion: 'indicators', value: 1 as const, comment: null, by_person_id: 'a', at: '2022-07-01T10:00:00Z' },
      { criterion: 'indicators', value: 0 as const, comment: 'Показатели — процессы', by_person_id: 'b', at: '2022-07-02T10:00:00Z' },
    ];
    const s = assessed(scoreProgramme(input({ ...roadmap(4, 4), marks })));
    const c = s.criteria.find((x) => x.criterion === 'indicators')!;
    expect(c.points).toBe(0);
    expect(c.suggested).toBe(1);
    expect(c.mark?.by_person_id).toBe('b');
    expect(s.total).toBe(7);
  });

  it('no tasks → 0 for «задачи»', () => {
    const s = assessed(scoreProgramme(input({ ...roadmap(1, 1), tasks: [] })));
    expect(s.criteria.find((c) => c.criterion === 'tasks')!.points).toBe(0);
  });

  it('one vague date fails «конкретные сроки» and names the measure with the lint reason', () => {
    const vague = measure({ date_text: 'Март-декабрь 2021', date_from: null, unplanned: 1 });
    const s = assessed(scoreProgramme(input({ measures: [measure(), vague] })));
    const c = s.criteria.find((x) => x.criterion === 'dates')!;
    expect(c.points).toBe(0);
    expect(c.items).toEqual([{ id: vague.id, title: vague.title, note: '«Март-декабрь 2021»: нет даты' }]);
  });

  it('only unplanned evidence: nothing matches the roadmap, nothing confirms the plan', () => {
    const planned = measure({ status: 'planned' });
    const extra = measure({ unplanned: 1 });
    const s = assessed(scoreProgramme(input({ measures: [planned, extra], evidence: [doc(extra), doc(extra)] })));
    expect(s.plan.points).toBe(0);
    const match = s.criteria.find((c) => c.criterion === 'evidence_match')!;
    expect(match.points).toBe(0);
    expect(match.items).toHaveLength(2);
    expect(match.items[0]!.note).toContain('вне плана');
    expect(s.criteria.find((c) => c.criterion === 'evidence_fact')!.suggested).toBe(0);
  });
});

describe('the 80% rule for evidence', () => {
  it.each([
    [4, 5, true],
    [3, 4, false], // 75%
    [79, 100, false],
    [80, 100, true],
    [5, 5, true],
    [0, 0, false],
  ])('%i of %i meets it: %s', (part, whole, ok) => {
    expect(meetsEvidenceShare(part, whole)).toBe(ok);
  });

  it('4 of 5 documents on planned measures match; 3 of 4 do not', () => {
    const planned = measure();
    const extra = measure({ unplanned: 1 });
    const five = [doc(planned), doc(planned), doc(planned), doc(planned), doc(extra)];
    const s5 = assessed(scoreProgramme(input({ measures: [planned, extra], evidence: five })));
    expect(s5.criteria.find((c) => c.criterion === 'evidence_match')!.points).toBe(1);
    const four = [doc(planned), doc(planned), doc(planned), doc(extra)];
    const s4 = assessed(scoreProgramme(input({ measures: [planned, extra], evidence: four })));
    expect(s4.criteria.find((c) => c.criterion === 'evidence_match')!.points).toBe(0);
  });

  it('«confirms the fact» suggests 1 when ≥80% are confirmed, listing those that are not', () => {
    const m = measure();
    const ev = [doc(m), doc(m), doc(m), doc(m), doc(m, 'rework')];
    const s = assessed(scoreProgramme(input({ measures: [m], evidence: ev })));
    const c = s.criteria.find((x) => x.criterion === 'evidence_fact')!;
    expect(c.suggested).toBe(1);
    expect(c.items.map((i) => i.note)).toEqual(['возвращён на доработку']);
    const s2 = assessed(scoreProgramme(input({ measures: [m], evidence: [doc(m), doc(m), doc(m, 'pending')] })));
    expect(s2.criteria.find((x) => x.criterion === 'evidence_fact')!.suggested).toBe(0);
  });
});
