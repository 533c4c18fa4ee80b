import { countOf } from '../../../../core/format';

const changes = ['изменение', 'изменения', 'изменений'] as const;

/** Синхронизация: where things stand and what to do. */
export const syncStatus = {
  notConnected: 'не подключено к серверу',
  lastSync: 'Последний успешный обмен',
  nextTry: 'Следующая автоматическая попытка',
  noNextTry: 'не запланирована',
  whatToDo: 'Что делать',
  now: 'Синхронизировать сейчас',
  resume: 'Продолжить',
  phase: { filesUp: 'Отправка файлов вложений', changes: 'Обмен изменениями', filesDown: 'Получение файлов вложений' },
  sent: (sent: number, left: number) => `отправлено ${sent.toLocaleString('ru-RU')} из ${(sent + left).toLocaleString('ru-RU')} изменений`,
  received: (n: number) => `получено ${countOf(n, changes)}`,
  moved: (size: string, rate: string) => `передано ${size}, ${rate}/с`,
  left: (time: string) => `осталось около ${time}`,
  retrying: (n: number, of: number) => `связь прервалась — повтор ${n} из ${of}; переданное не потеряется`,
  advice: {
    notEnrolled: (pending: number) =>
      `Ноутбук ещё не подключён к региональному серверу. ${pending ? `${countOf(pending, changes)} ждут отправки и хранятся на ноутбуке.` : 'Изменения хранятся на ноутбуке.'} Введите адрес сервера и код подключения от администратора региона; без сети подключитесь через файл.`,
    filesOnly: 'Ноутбук обменивается с регионом через файлы: выгрузите пакет, отвезите его в регион и загрузите ответный пакет.',
    syncing: 'Идёт обмен с сервером; можно продолжать работу.',
    interrupted: (sent: number, left: number, next: string | null) =>
      `Передача прервалась: ${countOf(sent, changes)} уже на сервере, ${left.toLocaleString('ru-RU')} ждут отправки. Нажмите «Продолжить», когда связь появится${next ? ` — или обмен продолжится сам ${next}` : ''}.`,
    offline: (pending: number, next: string | null) =>
      `Сервер недоступен. ${pending ? `${countOf(pending, changes)} ждут отправки и хранятся на ноутбуке.` : 'Всё отправленное уже на сервере.'} ${next ? `Следующая попытка ${next}; ` : ''}можно нажать «Синхронизировать сейчас» или выгрузить пакет в файл.`,
    failed: 'Последний обмен не удался (причина выше). Исправьте её и нажмите «Синхронизировать сейчас».',
    waiting: (pending: number, next: string | null) => `${countOf(pending, changes)} ждут отправки${next ? `: они уйдут ${next}` : ''} — или нажмите «Синхронизировать сейчас».`,
    conflicts: (n: number) => `Всё отправлено. Разберите конфликты (${n}) на вкладке «Конфликты».`,
    allSent: 'Всё отправлено и получено; ничего делать не нужно.',
  },
};
