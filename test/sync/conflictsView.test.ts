import { afterEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import type { ConflictView, FieldConflictView } from '../../core/contract/sync';
import { dispatch } from '../../core/dispatch';
import { getRow, insertRow, updateRow } from '../../db/write';
import { enrol, makeHub, makeLaptop, syncFully, type Laptop } from './helpers';

const laptops: Laptop[] = [];
afterEach(() => {
  for (const l of laptops.splice(0)) l.store.close();
});

describe('Синхронизация → Конфликты through the contract', () => {
  it('lists a concurrent edit with the row it belongs to, and resolving it settles the value on both laptops', async () => {
    const { hub } = await makeHub();
    const district = await hub.createDistrict('Район');
    const a = makeLaptop('conf-a');
    const b = makeLaptop('conf-b');
    laptops.push(a, b);
    await enrol(hub, a, district.id);
    await enrol(hub, b, district.id);
    const school = insertRow(a.store, 'schools', { district_id: district.id, full_name: 'МКОУ «Ретлобская СОШ»', short_name: 'Ретлобская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await syncFully(hub, a);
    await syncFully(hub, b);

    updateRow(a.store, 'schools', school.id, { address: 'ул. Школьная, 1' });
    updateRow(b.store, 'schools', school.id, { address: 'ул. Центральная, 5' });
    for (const l of [a, b, a, b]) await syncFully(hub, l);

    const ctx: Ctx = { store: a.store, dataDir: a.dataDir, emit: () => undefined };
    const listed = await dispatch(ctx, 'conflicts.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const conflicts = (listed.value as ConflictView[]).filter((c): c is FieldConflictView => c.kind === 'field');
    expect(conflicts).toHaveLength(1);
    const [c] = conflicts;
    expect(c).toMatchObject({ table: 'schools', rowId: school.id, column: 'address', rowTitle: 'Ретлобская СОШ' });
    const kept = getRow(a.store, 'schools', school.id)!.address;
    expect([c!.current, c!.lost].sort()).toEqual(['ул. Центральная, 5', 'ул. Школьная, 1']);

    const resolved = await dispatch(ctx, 'conflicts.resolve', { id: c!.id, pick: 'lost' });
    expect(resolved.ok).toBe(true);
    for (const l of [a, b, a, b]) await syncFully(hub, l);
    const chosen = getRow(a.store, 'schools', school.id)!.address;
    expect(chosen).not.toBe(kept);
    expect(getRow(b.store, 'schools', school.id)!.address).toBe(chosen);
    const after = await dispatch(ctx, 'conflicts.list', {});
    expect(after.ok && after.value).toEqual([]);
  });
});
