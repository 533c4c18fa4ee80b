/**
 * Issue 13, point 3: every screen usable on a 1024×700 laptop. Each route of the demo district
 * is opened at 1024×700 and checked: the page itself never scrolls sideways (a wide list
 * scrolls inside its own frame), every column header and page heading can be read in full
 * (not cut by «…», and reachable by scrolling its list), and every dialog fits the window
 * sideways with nothing sticking out of it (a taller one scrolls with its backdrop). A screenshot of each screen is attached to the report.
 */
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { callHost, type RunningHost } from './harness';

test.use({ demo: true, viewport: { width: 1024, height: 700 } });

interface Found {
  problems: string[];
}

/**
 * Runs in the page. Headers: column headers and h1/h2 whose text is clipped (scrollWidth
 * beyond the box), or which no sideways scroll of their frames brings fully into view. Page: the main area scrolling sideways. Dialogs: a box
 * wider than the window, or a descendant sticking out past its right edge.
 */
function inspect(): Found {
  const problems: string[] = [];
  const name = (el: Element) => (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const clips = (el: Element): Element[] => {
    const out: Element[] = [];
    for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') out.push(p);
    return out;
  };
  const inside = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > window.innerWidth + 1) return false;
    return clips(el).every((c) => {
      const cr = c.getBoundingClientRect();
      return r.left >= cr.left - 1 && r.right <= cr.right + 1;
    });
  };
  const scrollers = [...document.querySelectorAll<HTMLElement>('*')].filter((el) => {
    const o = getComputedStyle(el).overflowX;
    return (o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth;
  });
  // Every frame that scrolls sideways is stepped from its left end to its right end by half its width.
  const scrollAll = (step: number) => {
    for (const s of scrollers) {
      s.scrollLeft = (step * s.clientWidth) / 2;
      s.dispatchEvent(new Event('scroll'));
    }
  };
  const steps = Math.min(40, Math.max(0, ...scrollers.map((s) => Math.ceil((s.scrollWidth - s.clientWidth) / (s.clientWidth / 2)))));
  const headers = [...document.querySelectorAll<HTMLElement>('[role=columnheader], th, main h1, main h2')].filter((el) => el.getClientRects().length > 0 && name(el));
  const seen = new Set<HTMLElement>();
  for (let step = 0; step <= steps; step++) {
    scrollAll(step);
    for (const h of headers) if (inside(h)) seen.add(h);
  }
  scrollAll(0);
  for (const h of headers) {
    if (!seen.has(h)) problems.push(`заголовок «${name(h)}» обрезан краем и недоступен прокруткой`);
    const text = h.querySelector('button') ?? h;
    if (text.scrollWidth > text.clientWidth + 1) problems.push(`заголовок «${name(h)}» не помещается (${text.scrollWidth} > ${text.clientWidth} px)`);
  }
  const main = document.querySelector('main');
  if (main && main.scrollWidth > main.clientWidth + 1) problems.push(`страница прокручивается вбок (${main.scrollWidth} > ${main.clientWidth} px)`);
  for (const d of document.querySelectorAll<HTMLElement>('[role=dialog]')) {
    const r = d.getBoundingClientRect();
    // Sideways only: a dialog taller than the window scrolls with its backdrop.
    if (r.left < 0 || r.right > window.innerWidth) problems.push(`диалог «${name(d.querySelector('h2') ?? d)}» шире окна`);
    for (const el of d.querySelectorAll<HTMLElement>('*')) {
      const e = el.getBoundingClientRect();
      if (e.width > 0 && e.right > r.right + 1) {
        problems.push(`в диалоге «${name(d.querySelector('h2') ?? d)}» элемент ${el.tagName.toLowerCase()}.${el.className} выступает на ${Math.round(e.right - r.right)} px`);
        break;
      }
    }
  }
  return { problems };
}

async function check(page: Page, what: string, testInfo: TestInfo, problems: string[]) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.loading')).toHaveCount(0);
  const found = await page.evaluate(inspect);
  // Kept in the test's output folder (test-results/…) whether it passes or not, and listed in the report.
  const file = testInfo.outputPath(`${what.replace(/[^\w-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(what, { path: file, contentType: 'image/png' });
  problems.push(...found.problems.map((p) => `${what}: ${p}`));
}

async function routes(host: RunningHost): Promise<string[]> {
  const schools = await callHost<{ rows: { id: string }[] }>(host, 'schools.list', {});
  const school = schools.rows[0]!.id;
  const people = await callHost<{ rows: { id: string }[] }>(host, 'people.list', {});
  const withProgrammes = (await callHost<{ id: string; programmes: number }[]>(host, 'programmes.schools', {})).find((s) => s.programmes > 0)!;
  const programmes = await callHost<{ programmes: { id: string }[] }>(host, 'programmes.forSchool', { school_id: withProgrammes.id });
  const schedules = await callHost<{ id: string }[]>(host, 'visitSchedules.list', {});
  const events = await callHost<{ id: string }[]>(host, 'events.list', {});
  return [
    '#/',
    '#/schools',
    `#/schools/${school}`,
    `#/schools/${school}/edit`,
    '#/people',
    `#/people/${people.rows[0]!.id}`,
    '#/visits',
    '#/visits/new',
    '#/visits/schedules',
    ...(schedules[0] ? [`#/visits/schedules/${schedules[0].id}`] : []),
    '#/visits/events',
    ...(events[0] ? [`#/visits/events/${events[0].id}`] : []),
    '#/programmes',
    `#/programmes/school/${withProgrammes.id}`,
    `#/programmes/${programmes.programmes[0]!.id}`,
    '#/muni',
    '#/reports',
    '#/reports/monitoring',
    '#/reports/documents',
    '#/sync',
    '#/trash',
    '#/settings',
  ];
}

test('every route at 1024×700: no sideways page, headers readable, dialogs inside the window', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/');
  const problems: string[] = [];
  for (const route of await routes(host)) {
    // In-app navigation, as a user moves: no reload of the whole app per screen.
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, route);
    await check(page, route.replace(/^#\//, '') || 'start', testInfo, problems);
  }

  // Chart labels: «Средняя школа № 2» and «№ 7» no longer both read «Средняя ш…».
  await page.evaluate(() => {
    window.location.hash = '#/reports/monitoring';
  });
  const overdue = page.getByRole('group', { name: 'Просроченные мероприятия по школам' });
  await overdue.scrollIntoViewIfNeeded();
  const chart = testInfo.outputPath('chart-overdue.png');
  await overdue.screenshot({ path: chart });
  await testInfo.attach('chart-overdue', { path: chart, contentType: 'image/png' });
  const labels = await overdue.locator('text:has(tspan)').evaluateAll((texts) => texts.map((t) => [...t.querySelectorAll('tspan')].map((x) => x.textContent).join(' ')));
  expect(labels).toEqual(['Средняя школа № 2', 'Средняя школа № 7']);

  // A name cut with «…» in the list shows in full on hover.
  await page.goto(`${host.url}#/schools`);
  const clipped = page.getByRole('grid', { name: 'Школы' }).getByRole('gridcell').filter({ hasText: /^Основная школа № \d+$/ }).first();
  await clipped.hover();
  await expect(clipped).toHaveAttribute('title', /^Основная школа № \d+$/);

  // Dialogs: the assignment dialog with a new order (its «Приказ» section), and a confirmation.
  const schools = await callHost<{ rows: { id: string }[] }>(host, 'schools.list', {});
  await page.goto(`${host.url}#/schools/${schools.rows[0]!.id}`);
  await page.getByRole('button', { name: 'Назначить куратора' }).click();
  const dialog = page.getByRole('dialog', { name: 'Назначение куратора' });
  await dialog.getByText('Новый приказ', { exact: true }).click();
  await check(page, 'dialog-assignment-new-order', testInfo, problems);
  await dialog.getByText('Выбрать приказ', { exact: true }).click();
  await check(page, 'dialog-assignment-order-list', testInfo, problems);
  await page.keyboard.press('Escape');
  await page.locator('.page-head').getByRole('button', { name: 'Удалить' }).click();
  await check(page, 'dialog-delete-school', testInfo, problems);

  expect(problems).toEqual([]);
});

test('at 200% zoom (a 512×350 CSS window) the schools list and a dialog stay usable', async ({ host, openApp }, testInfo) => {
  const page = await openApp(host, '#/schools');
  // 200% zoom of a 1024×700 window lays out like a 512×350 one.
  await page.setViewportSize({ width: 512, height: 350 });
  const problems: string[] = [];
  await check(page, 'zoom200-schools', testInfo, problems);
  await page.getByRole('link', { name: 'Посещения' }).click();
  await check(page, 'zoom200-journal', testInfo, problems);
  await page.goBack();
  await page.getByRole('grid', { name: 'Школы' }).getByRole('row').first().click();
  await page.getByRole('button', { name: 'Назначить куратора' }).click();
  await page.getByRole('dialog', { name: 'Назначение куратора' }).getByText('Новый приказ', { exact: true }).click();
  await check(page, 'zoom200-dialog-assignment', testInfo, problems);
  expect(problems).toEqual([]);
});
