/**
 * Any page open in the same browser can make requests to browser mode's port. A malformed
 * percent-encoding and an encoded path traversal, asked for from the app's own page as an
 * <img> and by fetch, must neither stop the host nor hand out a file from outside the UI
 * folder, and the app must keep working afterwards.
 */
import { expect, test } from './fixtures';

test.use({ demo: true });

const HOSTILE = ['/%E0%A4%A', '/..%2f..%2fetc/passwd', '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd'];

test('browser mode survives a malformed address and a traversal asked for from the page, and the app keeps working', async ({ host, openApp }) => {
  const page = await openApp(host, '#/schools');
  const schools = page.getByRole('grid', { name: 'Школы' }).getByRole('row');
  await expect(schools.filter({ hasText: 'Средняя школа № 37' })).toBeVisible();

  // Each address as an image (no script needed, as any page could) and then by fetch.
  const answers = await page.evaluate(async (paths) => {
    const asImage = (src: string) =>
      new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('refused');
        img.src = src;
        document.body.append(img);
      });
    const images = await Promise.all(paths.map(asImage));
    const fetched: { path: string; status: number; body: string }[] = [];
    for (const p of paths) {
      try {
        const res = await fetch(p);
        fetched.push({ path: p, status: res.status, body: await res.text() });
      } catch (e) {
        fetched.push({ path: p, status: 0, body: String(e) });
      }
    }
    return { images, fetched };
  }, HOSTILE);

  expect(answers.images).toEqual(HOSTILE.map(() => 'refused'));
  for (const answer of answers.fetched) {
    // 0 would mean the connection was dropped; 5xx that the host failed on it.
    expect(answer.status, answer.path).toBeGreaterThanOrEqual(200);
    expect(answer.status, answer.path).toBeLessThan(500);
    expect(answer.body, answer.path).not.toContain('root:');
  }
  expect(host.process.exitCode, host.output()).toBeNull();

  // Still the same host, still answering: reload, search on the server, open a school.
  await page.reload();
  await page.getByRole('searchbox').fill('ОСНОВНАЯ 14');
  await expect(schools).toHaveCount(1);
  await schools.first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Основная школа № 14' })).toBeVisible();
});
