/**
 * Синхронизация always says where things stand (issue 13, point 7; issue 12, point 1): a laptop
 * not joined yet says «не подключено» with the changes it keeps; a failed connect says what
 * happened and what to do, not that a sync will follow; a joined laptop shows the last
 * exchange, the changes waiting and the next automatic try; a transfer over a slow link shows
 * its progress, and when the link goes for good, «Продолжить» finishes it once it is back.
 */
import { expect, test } from './fixtures';
import { throttledProxy } from '../sync/throttledProxy';

test('Синхронизация: not joined, a failed connect, a slow transfer that breaks and «Продолжить»', async ({ hub, startHost, openApp }) => {
  test.setTimeout(240_000);
  const district = await hub.admin('/api/admin/districts', { name: 'Медленный район' });
  const code = (await hub.admin(`/api/admin/districts/${district.id}/codes`)).code!;
  const host = await startHost({ demo: true });
  const page = await openApp(host, '#/sync');

  await test.step('a laptop not joined yet: «не подключено», the changes waiting, what to do', async () => {
    const card = page.getByTestId('sync-not-connected');
    await expect(card.getByTestId('sync-connection')).toHaveText('не подключено к серверу');
    expect(Number(await card.getByTestId('sync-pending').textContent())).toBeGreaterThan(100);
    await expect(card.getByTestId('sync-advice')).toContainText('ещё не подключён к региональному серверу');
  });

  await test.step('a failed connect says the server was not reached and the laptop is not joined', async () => {
    await page.getByLabel('Адрес сервера').fill('http://127.0.0.1:9');
    await page.getByLabel('Код подключения').fill(code);
    await page.getByRole('button', { name: 'Подключить' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Не удалось связаться с сервером http://127.0.0.1:9');
    await expect(alert).toContainText('Ноутбук пока не подключён');
    await expect(alert).not.toContainText('повторится позже');
    await expect(page.getByTestId('sync-not-connected')).toBeVisible();
  });

  const slow = await throttledProxy(hub.url, { bytesPerSecond: 2 * 1024 });
  const port = Number(new URL(slow.url).port);
  await test.step('joined through a slow link: the next automatic try, then a transfer with its progress', async () => {
    await page.getByLabel('Адрес сервера').fill(slow.url);
    await page.getByRole('button', { name: 'Подключить' }).click();
    await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
    await expect(page.getByTestId('sync-connection')).toHaveText('есть');
    await expect(page.getByTestId('sync-last')).toHaveText('ещё не было');
    await expect(page.getByTestId('sync-next')).toHaveText(/\d\d:\d\d/);
    await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
    // At 2 KB/s the first piece of the demo district's changes takes several seconds.
    await expect(page.getByTestId('sync-transfer')).toContainText(/Обмен изменениями · отправлено 0 из [1-9][\d\s ]* изменений · передано/, { timeout: 30_000 });
  });

  await test.step('the link goes for good: the transfer stops, says what got through, and offers «Продолжить»', async () => {
    await slow.close();
    await expect(page.getByRole('button', { name: 'Продолжить' })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('sync-advice')).toContainText('Передача прервалась');
    await expect(page.getByTestId('sync-connection')).toHaveText('нет связи');
    await expect(page.getByRole('alert').first()).toContainText('Переданное сохранено на сервере');
    expect(Number(await page.getByTestId('sync-pending').textContent())).toBeGreaterThan(0);
  });

  const back = await throttledProxy(hub.url, { bytesPerSecond: 4 * 1024 * 1024, port });
  try {
    await test.step('the link is back: «Продолжить» sends the rest and everything is sent', async () => {
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await expect(page.getByText(/Синхронизация завершена/).last()).toBeVisible({ timeout: 90_000 });
      await expect(page.getByTestId('sync-pending')).toHaveText('0');
      await expect(page.getByTestId('sync-last')).toHaveText(/\d\d\.\d\d\.\d{4}/);
      await expect(page.getByTestId('sync-advice')).toContainText(/Всё отправлено/);
      await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
    });
  } finally {
    await back.close();
  }
});
