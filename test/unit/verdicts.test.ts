import { describe, expect, it } from 'vitest';
import { allowedVerdicts, checkVerdict } from '../../core/rules/verdicts';
import type { EvidenceVerdict } from '../../db/schema';

const ALL: EvidenceVerdict[] = ['pending', 'confirmed', 'rework'];

describe('verdict transitions', () => {
  it('on review → confirmed, and → rework with a comment', () => {
    expect(checkVerdict('pending', 'confirmed', null)).toEqual({ ok: true });
    expect(checkVerdict('pending', 'rework', 'Приложите протокол')).toEqual({ ok: true });
  });

  it('rework without a comment (or with blanks only) is refused, naming the comment field', () => {
    for (const c of [null, undefined, '', '   \n']) {
      const r = checkVerdict('pending', 'rework', c);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.field).toBe('comment');
    }
  });

  it('illegal moves are refused with a Russian message', () => {
    const r = checkVerdict('confirmed', 'pending', null);
    expect(r).toMatchObject({ ok: false, field: 'verdict' });
    if (!r.ok) expect(r.message).toContain('«Подтверждено»');
    for (const v of ALL) expect(checkVerdict(v, v, 'x').ok).toBe(false);
  });

  it('a fixed document goes back to review or is confirmed; a confirmed one can be reopened only to rework', () => {
    expect(checkVerdict('rework', 'pending', null).ok).toBe(true);
    expect(checkVerdict('rework', 'confirmed', null).ok).toBe(true);
    expect(checkVerdict('confirmed', 'rework', 'Не тот протокол').ok).toBe(true);
    expect(allowedVerdicts('confirmed')).toEqual(['rework']);
  });

  it('the table of allowed moves agrees with checkVerdict for every pair', () => {
    for (const from of ALL) for (const to of ALL) expect(checkVerdict(from, to, 'комментарий').ok).toBe(allowedVerdicts(from).includes(to));
  });
});
