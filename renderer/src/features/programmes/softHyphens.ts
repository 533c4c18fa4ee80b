import createHyphenator, { type HyphenationFunctionSync } from 'hyphen';
import russian from 'hyphen/patterns/ru';

/**
 * Russian words with soft hyphens (U+00AD) at their syllable breaks, for display in narrow
 * grid cells: Chromium here has no Russian hyphenation dictionary, so CSS `hyphens: auto`
 * alone cuts «Администр|ация» anywhere. Display only: stored, edited and copied values stay raw.
 * Links, e-mail addresses and paths are left whole (a hyphen inside one would break it).
 */
export function withSoftHyphens(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (KEEP_WHOLE.test(part) ? part : hyphenateSync(part, { minWordLength: 8 })))
    .join('');
}

// Without `async` the factory returns the synchronous function; its typings return a union of both.
const hyphenateSync = createHyphenator(russian) as HyphenationFunctionSync;
const KEEP_WHOLE = /:\/\/|^www\.|@|[\\/]/;

/** The raw text back from a shown one (what a copy of the cell must carry). */
export const withoutSoftHyphens = (text: string): string => text.replace(/\u00AD/g, '');
