/**
 * The demo district's accounts, so the demo shows what people see: the coordinator of
 * Каменск-Уральский (a person added for the demo), its first curator and a school's
 * coordinator as the read-only наблюдатель. The README states the passwords.
 */
import { v7 as uuidv7 } from 'uuid';
import { getMeta } from '../../db/replica';
import { qb } from '../../db/store';
import { personShort } from '../format';
import type { Role } from '../rules/permissions';
import { insertCoordinator, type AccountGate } from './gate.node';
import { newDataKey, wrapForSync } from './keyring.node';

export const DEMO_PASSWORDS = { coordinator: 'koordinator-demo', curator: 'kurator-demo', viewer: 'nabludatel-demo' } as const satisfies Partial<Record<Role, string>>;

/** Does nothing on a laptop that already has accounts or no demo district. */
export function setUpDemoAccounts(gate: AccountGate): void {
  const ctx = gate.current;
  if (!ctx || ctx.store.session || gate.state().status !== 'setup') return;
  const store = ctx.store;
  const districtId = getMeta(store, 'district_id');
  if (!districtId) return;
  const people = store.tx(() => {
    const coordinator =
      store.first(qb.selectFrom('people').selectAll().where('district_id', '=', districtId).where('is_coordinator', '=', 1).where('deleted_at', 'is', null)) ??
      insertCoordinator(store, districtId, { last_name: 'Соколова', first_name: 'Анна', middle_name: 'Петровна' });
    const byRole = (column: 'is_curator' | 'is_school_coordinator') =>
      store.first(qb.selectFrom('people').selectAll().where('district_id', '=', districtId).where(column, '=', 1).where('deleted_at', 'is', null).orderBy('last_name'));
    return { coordinator, curator: byRole('is_curator'), viewer: byRole('is_school_coordinator') };
  });
  const dataKey = newDataKey();
  const createdAt = new Date().toISOString();
  const accounts = (Object.keys(DEMO_PASSWORDS) as (keyof typeof DEMO_PASSWORDS)[]).flatMap((role) => {
    const person = people[role];
    if (!person) return [];
    return [wrapForSync({ id: uuidv7(), name: personShort(person), role, personId: person.id, createdAt }, DEMO_PASSWORDS[role], dataKey)];
  });
  gate.installAccounts(accounts, dataKey);
}
