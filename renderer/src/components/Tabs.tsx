import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

export interface TabItem {
  /** A route inside the section; '/' is the section's start page. */
  href: string;
  label: ReactNode;
}

/** The tab for a location: the longest href the location starts with, else the start page. */
export function activeTab(items: readonly TabItem[], location: string): TabItem | undefined {
  let best: TabItem | undefined;
  for (const i of items) {
    if (i.href === '/') continue;
    const hit = location === i.href || location.startsWith(`${i.href}/`);
    if (hit && (!best || i.href.length > best.href.length)) best = i;
  }
  return best ?? items.find((i) => i.href === '/');
}

/**
 * Section tabs (Посещения, Отчёты, Синхронизация): each tab is a link to a route inside the
 * section, so back/forward and bookmarks work; the current one is marked aria-current.
 */
export function Tabs({ items, label }: { items: readonly TabItem[]; label: string }) {
  const [location] = useLocation();
  const active = activeTab(items, location);
  return (
    <nav className="tabs no-print" aria-label={label}>
      {items.map((i) => (
        <Link key={i.href} href={i.href} className={i === active ? 'tab active' : 'tab'} aria-current={i === active ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
