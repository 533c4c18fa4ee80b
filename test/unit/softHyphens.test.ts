import { describe, expect, it } from 'vitest';
import { withSoftHyphens, withoutSoftHyphens } from '../../renderer/src/features/programmes/softHyphens';

const SHY = '\u00AD';

describe('soft hyphens for the roadmap grid', () => {
  it('breaks a long Russian word at its syllables, and gives the raw text back', () => {
    const shown = withSoftHyphens('Администрация муниципального образования');
    expect(shown.split(' ')[0]).toBe(['Ад', 'ми', 'ни', 'стра', 'ция'].join(SHY));
    expect(shown).toContain(`му${SHY}ни${SHY}ци`);
    expect(withoutSoftHyphens(shown)).toBe('Администрация муниципального образования');
  });

  it('leaves links, e-mail addresses, dates and numbers whole', () => {
    const text = 'https://school32.ru/документы/администрация metodist@example.ru 12.05.2022 2022–2023 1234567890';
    expect(withSoftHyphens(text)).toBe(text);
  });
});
