/**
 * How imported text is compared with what the district already has. People type the same
 * name many ways: «МКОУ "Генухская СОШ"» and «МКОУ «Генухская СОШ»», «СОШ №2» and
 * «СОШ № 2», «Алёшинская» and «Алешинская», a trailing space, a line break in a cell. One
 * key folds all of them, so a file imported twice finds its own rows again.
 */

const QUOTES = /["«»“”„‟'‘’‚`]/g;
const DASHES = /[‐‑‒–—―]/g;
const SPACES = /[\s\u00a0\u2007\u202f]+/g;

/** A cell's text as stored: spaces at the ends dropped, runs of spaces (no-break too) made one; line breaks kept. */
export function cleanCell(s: string): string {
  return s
    .split(/\r?\n/)
    .map((line) => line.replace(SPACES, ' ').trim())
    .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1))
    .join('\n')
    .trim();
}

/** The comparison key of a name: case, ё/е, quotes, dashes, spaces and «№2»/«№ 2» folded. */
export function nameKey(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(QUOTES, ' ')
    .replace(DASHES, '-')
    .replace(/№\s*/g, '№ ')
    .replace(SPACES, ' ')
    .trim();
}

/** A header's key: a name key without punctuation around words («Наименование ОО:», «ФИО*»). */
export function headerKey(s: string): string {
  return nameKey(s)
    .replace(/[.,:;*()[\]/\\|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether two texts say the same once folded (used to tell «same» from «changed»). */
export const sameText = (a: string | null | undefined, b: string | null | undefined): boolean => nameKey(a ?? '') === nameKey(b ?? '');
