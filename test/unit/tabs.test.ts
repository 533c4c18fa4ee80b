import { describe, expect, it } from 'vitest';
import { activeTab } from '../../renderer/src/components/Tabs';

const visits = [
  { href: '/', label: 'Журнал' },
  { href: '/schedules', label: 'Графики посещений' },
  { href: '/events', label: 'Мероприятия' },
];

describe('section tabs: which tab a location belongs to', () => {
  it('marks the tab whose route the location is in, the start page otherwise', () => {
    expect(activeTab(visits, '/')?.label).toBe('Журнал');
    expect(activeTab(visits, '/schedules')?.label).toBe('Графики посещений');
    expect(activeTab(visits, '/schedules/01a2/print')?.label).toBe('Графики посещений');
    expect(activeTab(visits, '/events/new')?.label).toBe('Мероприятия');
    // Journal entries live at /:id and /new under the start page.
    expect(activeTab(visits, '/01a209d3-cf1b')?.label).toBe('Журнал');
    expect(activeTab(visits, '/new')?.label).toBe('Журнал');
  });

  it('needs a whole path segment and prefers the longest route', () => {
    expect(activeTab(visits, '/eventsarchive')?.label).toBe('Журнал');
    const nested = [...visits, { href: '/events/archive', label: 'Архив' }];
    expect(activeTab(nested, '/events/archive/2025')?.label).toBe('Архив');
    expect(activeTab(nested, '/events/12')?.label).toBe('Мероприятия');
  });
});
