import type { KeyboardEvent } from 'react';

/** Props that make a table row open `href` on click or Enter, and be reachable with Tab. */
export function rowLink(navigate: (href: string) => void, href: string) {
  return {
    className: 'clickable',
    tabIndex: 0,
    onClick: () => navigate(href),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter') navigate(href);
    },
  };
}
