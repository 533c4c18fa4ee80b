export const calendar = {
  breaks: 'Каникулы',
  breaksIntro:
    'Дни каникул школ района. Графики посещений не ставят визиты на каникулы, выходные, праздники и перенесённые выходные производственного календаря (его переносы присылает регион).',
  none: 'Каникулы не заданы: графики обходят только выходные и праздники.',
  title: 'Название',
  titlePlaceholder: 'Зимние каникулы',
  from: 'С',
  to: 'По',
  add: 'Добавить каникулы',
  dateMissing: 'Укажите дату',
  remove: 'Удалить',
  removeLabel: (title: string) => `Удалить «${title}»`,
  added: (title: string) => `Каникулы «${title}» добавлены`,
  removed: (title: string) => `Каникулы «${title}» удалены`,
  period: (from: string, to: string) => `${from} — ${to}`,
};
