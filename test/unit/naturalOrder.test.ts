import { describe, expect, it } from 'vitest';
import { naturalCompare, sortNatural } from '../../core/rules/naturalOrder';

describe('natural order of coded names', () => {
  it('puts numbers in numeric order, not character order', () => {
    expect(['РФ10', 'РФ1', 'РФ2'].sort(naturalCompare)).toEqual(['РФ1', 'РФ2', 'РФ10']);
    expect(sortNatural(['МБОУ СОШ № 10', 'МБОУ СОШ № 2', 'МБОУ СОШ № 1'], (s) => s)).toEqual(['МБОУ СОШ № 1', 'МБОУ СОШ № 2', 'МБОУ СОШ № 10']);
  });
  it('treats ё as е and ignores case', () => {
    expect(naturalCompare('Сёмин', 'семин')).toBe(0);
    expect(naturalCompare('Алексеев', 'борисов')).toBeLessThan(0);
  });
});
