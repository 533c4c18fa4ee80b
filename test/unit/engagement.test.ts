import { describe, expect, it } from 'vitest';
import { shownPercent } from '../../core/format';
import { BAND_LABELS, bandOf, bandOfPercent, bandPercentText, scoreEngagement, type EngagementDocument } from '../../core/rules/engagement';

const doc = (over: Partial<EngagementDocument> = {}): EngagementDocument => ({
  id: Math.random().toString(36).slice(2),
  title: 'Протокол педсовета',
  uploaded_at: '2022-05-10T10:00:00.000Z',
  first_verdict_at: '2022-05-12T10:00:00.000Z',
  verdict: 'confirmed',
  measure_unplanned: 0,
  measure_status: 'done',
  ...over,
});
const stage = { from: '2022-04-01', deadline: '2022-05-25' };

describe('curator engagement: up to 3 points', () => {
  it('all three: documents checked in time, confirmations match the roadmap, comments written', () => {
    const s = scoreEngagement({ ...stage, documents: [doc(), doc()], comments: ['2022-05-01T09:00:00.000Z'] });
    expect(s.points).toBe(3);
    expect(s.active).toBe(true);
  });

  it('a verdict the day after the deadline, or none, loses «в установленные сроки» and names the document', () => {
    const late = doc({ title: 'Поздний', first_verdict_at: '2022-05-26T08:00:00.000Z' });
    const s = scoreEngagement({ ...stage, documents: [doc(), late, doc({ title: 'Не проверен', first_verdict_at: null, verdict: 'pending' })], comments: [] });
    const c = s.criteria.find((x) => x.code === 'on_time')!;
    expect(c.points).toBe(0);
    expect(c.items.map((i) => i.title)).toEqual(['Поздний', 'Не проверен']);
    // On the deadline day itself it is still in time.
    expect(scoreEngagement({ ...stage, documents: [doc({ first_verdict_at: '2022-05-25T20:00:00.000Z' })], comments: [] }).criteria[0]!.points).toBe(1);
  });

  it('documents uploaded after the deadline do not count against the stage', () => {
    const s = scoreEngagement({ ...stage, documents: [doc(), doc({ uploaded_at: '2022-06-01T00:00:00.000Z', first_verdict_at: null, verdict: 'pending' })], comments: [] });
    expect(s.criteria[0]!.points).toBe(1);
  });

  it('«как соответствующие»: 4 of 5 confirmations on done planned measures is enough, 3 of 4 is not', () => {
    const good = () => doc();
    const unplanned = doc({ measure_unplanned: 1 });
    expect(scoreEngagement({ ...stage, documents: [good(), good(), good(), good(), unplanned], comments: [] }).criteria[1]!.points).toBe(1);
    const s = scoreEngagement({ ...stage, documents: [good(), good(), good(), doc({ measure_status: 'planned' })], comments: [] });
    expect(s.criteria[1]!.points).toBe(0);
    expect(s.criteria[1]!.items[0]!.note).toBe('мероприятие не отмечено выполненным');
  });

  it('no documents at all: no points for agreeing, and comments outside the stage do not count', () => {
    const s = scoreEngagement({ ...stage, documents: [], comments: ['2022-03-01T00:00:00.000Z', '2022-06-01T00:00:00.000Z'] });
    expect(s.points).toBe(0);
    expect(s.active).toBe(false);
  });
});

describe('bands of active curators', () => {
  it.each([
    [0, 10, 'low'],
    [35, 100, 'low'],
    [36, 100, 'mid'],
    [1, 2, 'mid'],
    [75, 100, 'mid'],
    [3, 4, 'mid'],
    [76, 100, 'high'],
    [4, 5, 'high'],
    [1, 1, 'high'],
    [0, 0, 'low'],
  ])('%i of %i → %s', (part, whole, band) => {
    expect(bandOf(part, whole)).toBe(band);
  });
});

describe('the shown share never contradicts its band', () => {
  /** The whole percents a label «a% – b%» names. */
  const labelRange = (label: string) => label.match(/\d+/g)!.map(Number) as [number, number];

  it('each label holds exactly the whole percents of its band (35% is low, 36% mid, 75% mid, 76% high)', () => {
    for (let p = 0; p <= 100; p++) {
      const holding = (Object.keys(BAND_LABELS) as (keyof typeof BAND_LABELS)[]).filter((b) => {
        const [lo, hi] = labelRange(BAND_LABELS[b]);
        return p >= lo && p <= hi;
      });
      expect(holding, `${p}%`).toEqual([bandOf(p, 100)]);
    }
  });

  it.each([
    [35, 100, '35%', 'low'],
    [7, 20, '35%', 'low'],
    [354, 1000, '35,4%', 'mid'], // rounds to 35%, which would read as low
    [36, 100, '36%', 'mid'],
    [746, 1000, '75%', 'mid'], // 74,6% and 75% are both mid: the whole percent stands
    [3, 4, '75%', 'mid'],
    [754, 1000, '75,4%', 'high'], // rounds to 75%, which would read as mid
    [151, 200, '76%', 'high'], // 75,5% rounds up into its own band
    [76, 100, '76%', 'high'],
    [5, 7, '71%', 'mid'],
    [0, 3, '0%', 'low'],
    [3, 3, '100%', 'high'],
  ])('%i of %i → «%s» in %s', (part, whole, text, band) => {
    expect(bandPercentText(part, whole)).toBe(text);
    expect(bandOf(part, whole)).toBe(band);
  });

  it('for every share up to 200 curators the shown figure reads as the band the exact share gives', () => {
    for (let whole = 1; whole <= 200; whole++) {
      for (let part = 0; part <= whole; part++) {
        if (bandOfPercent(shownPercent(part, whole, bandOfPercent)) !== bandOf(part, whole)) throw new Error(`${part} из ${whole}`);
      }
    }
  });
});
