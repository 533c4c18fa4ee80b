/**
 * Text cut with «…» (CSS `text-overflow: ellipsis`: list cells, journal topics, names) shows
 * in full on hover wherever it is: one listener for the window, so no list has to remember a
 * title per cell. A title the code set itself is left alone.
 */
export function showClippedTextOnHover(root: Document = document): void {
  root.addEventListener('mouseover', (e) => {
    let el = e.target instanceof Element ? e.target : null;
    for (let depth = 0; el && depth < 4; el = el.parentElement, depth++) {
      if (!(el instanceof HTMLElement) || getComputedStyle(el).textOverflow !== 'ellipsis') continue;
      if (el.title && !el.dataset.clippedTitle) return;
      if (el.scrollWidth > el.clientWidth) {
        el.title = (el.textContent ?? '').trim();
        el.dataset.clippedTitle = '1';
      } else if (el.dataset.clippedTitle) {
        el.removeAttribute('title');
        delete el.dataset.clippedTitle;
      }
      return;
    }
  });
}
