/** Building blocks for input schemas, with Russian messages. */
import { z } from 'zod';
import { isValid, parseISO } from 'date-fns';

z.config(z.locales.ru());

export { z };

export const id = z.uuid({ message: 'Неверный идентификатор' });

/** Required single-line text: trimmed, not empty, bounded. */
export const text = (max = 500) =>
  z
    .string({ message: 'Заполните поле' })
    .trim()
    .min(1, { message: 'Заполните поле' })
    .max(max, { message: `Не длиннее ${max} символов` });

/** Optional text: empty becomes null. */
export const optText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, { message: `Не длиннее ${max} символов` })
    .nullish()
    .transform((v) => (v ? v : null));

/** A calendar date as 'YYYY-MM-DD' that really exists. */
export const isoDate = z
  .string({ message: 'Укажите дату' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Дата в формате ДД.ММ.ГГГГ' })
  .refine((s) => isValid(parseISO(s)), { message: 'Такой даты нет в календаре' });

export const optDate = isoDate.nullish().transform((v) => v ?? null);

export const year = z.number({ message: 'Укажите год' }).int().min(2000, { message: 'Год не раньше 2000' }).max(2100, { message: 'Год не позже 2100' });

export const email = z
  .string()
  .trim()
  .max(200)
  .refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { message: 'Неверный адрес электронной почты' })
  .nullish()
  .transform((v) => (v ? v : null));

export const phone = z
  .string()
  .trim()
  .max(40)
  .refine((s) => s === '' || /^[+\d][\d\s()-]{4,}$/.test(s), { message: 'Телефон: цифры, пробелы, скобки, «+» и «-»' })
  .nullish()
  .transform((v) => (v ? v : null));

export const url = z
  .string()
  .trim()
  .max(1000)
  .refine((s) => s === '' || /^https?:\/\/\S+$/.test(s), { message: 'Ссылка должна начинаться с http:// или https://' })
  .nullish()
  .transform((v) => (v ? v : null));

/** Paging for long lists. */
export const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
};

export const byId = z.strictObject({ id });

/** Turns zod issues into field → message for the form. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
