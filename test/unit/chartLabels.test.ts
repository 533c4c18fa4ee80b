import { describe, expect, it } from 'vitest';
import { labelLines } from '../../renderer/src/features/reports/Charts';

describe('bar chart labels', () => {
  it('break between words, so two schools that differ at the end stay told apart', () => {
    expect(labelLines('Средняя школа № 2')).toEqual(['Средняя', 'школа № 2']);
    expect(labelLines('Средняя школа № 7')).not.toEqual(labelLines('Средняя школа № 2'));
    expect(labelLines('3 б.')).toEqual(['3 б.']);
  });

  it('cut only after three lines', () => {
    expect(labelLines('Муниципальное казённое общеобразовательное учреждение')).toEqual(['Муниципальное', 'казённое', 'общеобразовательное…']);
  });
});
