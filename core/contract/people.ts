import { call } from './define';
import { byId, email, id, isoDate, optDate, optText, page, phone, text, z } from './common';
import type { Row } from '../../db/schema';

export const roleKeys = ['is_coordinator', 'is_curator', 'is_school_coordinator', 'is_director'] as const;
export type RoleKey = (typeof roleKeys)[number];

export const personInput = z.strictObject({
  last_name: text(100),
  first_name: text(100),
  middle_name: optText(100),
  position: optText(300),
  organisation_id: id.nullish().transform((v) => v ?? null),
  phone,
  email,
  is_coordinator: z.boolean(),
  is_curator: z.boolean(),
  is_school_coordinator: z.boolean(),
  is_director: z.boolean(),
});

export type PersonInput = z.input<typeof personInput>;

export const personListQuery = z.strictObject({
  search: z.string().max(200).default(''),
  role: z.enum(['all', 'coordinator', 'curator', 'school_coordinator', 'director']).default('all'),
  ...page,
});

export interface PersonListRow {
  id: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  position: string | null;
  organisation_name: string | null;
  is_coordinator: 0 | 1;
  is_curator: 0 | 1;
  is_school_coordinator: 0 | 1;
  is_director: 0 | 1;
  school_count: number;
}

export interface PersonCard {
  person: Row<'people'>;
  organisation: Row<'schools'> | null;
  assignments: { assignment: Row<'curator_assignments'>; school: Row<'schools'>; order: Row<'orders'> | null }[];
  directs: Row<'schools'>[];
}

const assignmentFields = {
  curator_id: id,
  school_id: id,
  date_from: isoDate,
  date_to: optDate,
  order_id: id.nullish().transform((v) => v ?? null),
};

/** The assignment's fields without the cross-field rule, for forms that add fields of their own. */
export const assignmentShape = z.strictObject(assignmentFields);

export const datesInOrder = (v: { date_from?: string; date_to?: string | null }) => !v.date_to || !v.date_from || v.date_to >= v.date_from;
export const END_BEFORE_START = 'Дата окончания раньше даты начала';
// Fresh objects on every use: zod's refine takes `message` out of the params object it is given,
// so a shared constant said «Неверные входные данные» from its second use on.
export const orderMessage = () => ({ message: END_BEFORE_START, path: ['date_to'] });

export const orderInput = z.strictObject({
  number: text(50),
  date: isoDate,
  issuer: optText(300),
  title: text(1000),
});

export type OrderInput = z.output<typeof orderInput>;

/** An assignment names the order that made it either by id or as a new order created in the same call. */
const oneOrder = (v: { order_id?: string | null; new_order?: unknown }) => !(v.order_id && v.new_order);
const oneOrderMessage = (path: string[] = ['order_id']) => ({ message: 'Укажите либо приказ из списка, либо новый приказ', path });

/**
 * What to do with another curator's assignment to the same school that overlaps the new one:
 * end it on the new one's start date, or keep both curators. Without a choice an overlap is refused.
 */
export const overlapChoices = ['end_earlier', 'keep_both'] as const;
export type OverlapChoice = (typeof overlapChoices)[number];

/** Another curator's assignment to the school that overlaps the one being made. */
export interface AssignmentOverlap {
  id: string;
  curator_name: string;
  date_from: string;
  date_to: string | null;
  /** It began before the new one and can be ended on the new one's start date. */
  can_end: boolean;
}

export const assignmentInput = z
  .strictObject({ ...assignmentFields, new_order: orderInput.optional(), overlap: z.enum(overlapChoices).optional() })
  .refine(datesInOrder, orderMessage())
  .refine(oneOrder, oneOrderMessage());

export const assignmentUpdate = z
  .strictObject({ id, patch: z.strictObject(assignmentFields).partial().refine(datesInOrder, orderMessage()), new_order: orderInput.optional() })
  .refine((v) => oneOrder({ order_id: v.patch.order_id, new_order: v.new_order }), oneOrderMessage(['patch', 'order_id']));

export const peopleContract = {
  'people.list': call<{ rows: PersonListRow[]; total: number }>()(personListQuery),
  'people.get': call<PersonCard>()(byId),
  'people.create': call<Row<'people'>>()(personInput),
  'people.update': call<Row<'people'>>()(z.strictObject({ id, patch: personInput.partial() })),
  'people.delete': call<null>()(byId),
  'assignments.overlaps': call<AssignmentOverlap[]>()(z.strictObject({ school_id: id, curator_id: id, date_from: isoDate, date_to: optDate })),
  'assignments.create': call<Row<'curator_assignments'>>()(assignmentInput),
  'assignments.update': call<Row<'curator_assignments'>>()(assignmentUpdate),
  'assignments.delete': call<null>()(byId),
  'orders.list': call<Row<'orders'>[]>()(z.strictObject({})),
  'orders.create': call<Row<'orders'>>()(orderInput),
};
