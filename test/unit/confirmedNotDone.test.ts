import { describe, expect, it } from 'vitest';
import { confirmedButNotDone } from '../../core/rules/expertise';

const confirmed = [{ verdict: 'pending' as const }, { verdict: 'confirmed' as const }];

describe('a confirmed document on a measure not marked done (the measure panel\'s hint)', () => {
  it('holds for a planned measure still «Запланировано», «Перенесено» or «Не выполнено»', () => {
    for (const status of ['planned', 'postponed', 'not_done'] as const) expect(confirmedButNotDone({ unplanned: 0, status }, confirmed)).toBe(true);
  });

  it('does not for a done, cancelled or unplanned measure, nor without a confirmed document', () => {
    expect(confirmedButNotDone({ unplanned: 0, status: 'done' }, confirmed)).toBe(false);
    expect(confirmedButNotDone({ unplanned: 0, status: 'cancelled' }, confirmed)).toBe(false);
    expect(confirmedButNotDone({ unplanned: 1, status: 'planned' }, confirmed)).toBe(false);
    expect(confirmedButNotDone({ unplanned: 0, status: 'planned' }, [{ verdict: 'pending' }, { verdict: 'rework' }])).toBe(false);
  });
});
