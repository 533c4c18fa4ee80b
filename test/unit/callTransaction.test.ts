/**
 * One transaction per call: through dispatch, a handler that writes and then fails leaves
 * nothing written — rows, field clocks and change log alike — and a new order typed into the
 * assignment dialog is not left behind when the assignment is refused.
 */
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OWN_TRANSACTIONS } from '../../core/callTransaction';
import { contract } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { handlers } from '../../core/handlers';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';
import { insertRow } from '../../db/write';
import { dispatcher } from '../integration/coreFixture';
import { AppError } from '../../db/errors';

let store: Store;
let ctx: Ctx;
const { call, ok } = dispatcher(() => ctx);
const count = (table: string) => (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const footprint = () => Object.fromEntries(['changes', 'field_clocks', 'people', 'orders', 'curator_assignments'].map((t) => [t, count(t)]));

let district_id: string;
let school: string;
let curator: string;
let director: string;
const newOrder = { number: '15-о', date: '2026-02-03', title: 'О закреплении кураторов', issuer: null };

beforeEach(async () => {
  store = openStore(':memory:');
  ctx = { store, dataDir: os.tmpdir(), emit: () => {} };
  district_id = (await ok('app.createDistrict', { region: 'Регион', district: 'Район' })).district!.id;
  school = insertRow(store, 'schools', { district_id, full_name: 'Школа', short_name: 'Школа', kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
  const person = (last_name: string, is_curator: boolean) =>
    insertRow(store, 'people', { district_id, last_name, first_name: 'Анна', is_curator, is_coordinator: false, is_director: !is_curator, is_school_coordinator: false }).id;
  curator = person('Куратова', true);
  director = person('Директорова', false);
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});

describe('one transaction per call', () => {
  it('a handler that writes and then fails leaves nothing written (people.create)', async () => {
    vi.spyOn(handlers, 'people.create').mockImplementation((input, c) => {
      insertRow(c.store, 'people', { ...input, district_id });
      throw new AppError('refused', 'Отказано после записи');
    });
    const before = footprint();
    const r = await call('people.create', { last_name: 'Новикова', first_name: 'Ольга', is_curator: true, is_coordinator: false, is_director: false, is_school_coordinator: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(footprint()).toEqual(before);
  });

  it('an unexpected error after a write rolls back too, and the message says nothing was changed', async () => {
    vi.spyOn(handlers, 'people.update').mockImplementation(({ id }, c) => {
      insertRow(c.store, 'orders', { ...newOrder, district_id });
      throw new TypeError(`boom ${id}`);
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = footprint();
    const r = await call('people.update', { id: curator, patch: { position: 'Методист' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/данные не изменены/) } });
    expect(footprint()).toEqual(before);
  });

  it('a handler that is async but not listed in OWN_TRANSACTIONS is refused and its write undone', async () => {
    vi.spyOn(handlers, 'orders.create').mockImplementation(async (input, c) => insertRow(c.store, 'orders', { ...input, district_id }));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await call('orders.create', { number: '1', date: '2026-01-01', title: 'Приказ' });
    expect(r.ok).toBe(false);
    expect(count('orders')).toBe(0);
  });

  it('every handler declared async owns its transaction, with a reason; every listed name is a call', () => {
    const asyncHandlers = Object.entries(handlers)
      .filter(([, h]) => h.constructor.name === 'AsyncFunction')
      .map(([name]) => name);
    expect(asyncHandlers.length).toBeGreaterThan(0);
    for (const name of asyncHandlers) expect(OWN_TRANSACTIONS, name).toHaveProperty([name]);
    for (const [name, reason] of Object.entries(OWN_TRANSACTIONS)) {
      expect(Object.keys(contract), name).toContain(name);
      expect(reason.length, name).toBeGreaterThan(10);
    }
  });
});

describe('order and assignment in one call', () => {
  it('creates the typed-in order and the assignment citing it', async () => {
    const a = await ok('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03', new_order: newOrder });
    const orders = await ok('orders.list', {});
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ number: '15-о', title: 'О закреплении кураторов' });
    expect(a.order_id).toBe(orders[0]!.id);
  });

  it('leaves no order behind when the core refuses the assignment (a person who is not a curator)', async () => {
    const before = footprint();
    const r = await call('assignments.create', { curator_id: director, school_id: school, date_from: '2026-02-03', new_order: newOrder });
    expect(r.ok ? null : r.error.fields?.curator_id).toMatch(/куратор/);
    expect(footprint()).toEqual(before);
  });

  it('leaves no order behind when the edited assignment would end before it starts', async () => {
    const a = await ok('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03' });
    const before = footprint();
    const r = await call('assignments.update', { id: a.id, patch: { date_to: '2026-01-31' }, new_order: newOrder });
    expect(r.ok ? null : r.error.fields?.date_to).toBe('Дата окончания раньше даты начала');
    expect(footprint()).toEqual(before);
    expect(await ok('orders.list', {})).toEqual([]);
  });

  it('leaves no order behind when the contract refuses the dates, and names the order’s fields', async () => {
    const refused = await call('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03', date_to: '2026-02-01', new_order: newOrder });
    expect(refused.ok ? null : refused.error.fields?.date_to).toBe('Дата окончания раньше даты начала');
    const badOrder = await call('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03', new_order: { ...newOrder, number: '' } });
    expect(badOrder.ok ? null : Object.keys(badOrder.error.fields ?? {})).toEqual(['new_order.number']);
    expect(count('orders')).toBe(0);
  });

  it('takes an order by id or a new one, never both', async () => {
    const order = await ok('orders.create', newOrder);
    const r = await call('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03', order_id: order.id, new_order: newOrder });
    expect(r.ok ? null : r.error.fields?.order_id).toMatch(/либо/);
    expect(count('orders')).toBe(1);
  });

  it('an edit can attach a new order', async () => {
    const a = await ok('assignments.create', { curator_id: curator, school_id: school, date_from: '2026-02-03' });
    const updated = await ok('assignments.update', { id: a.id, patch: { date_to: '2026-06-30' }, new_order: newOrder });
    const orders = await ok('orders.list', {});
    expect(updated).toMatchObject({ date_to: '2026-06-30', order_id: orders[0]!.id });
  });
});
