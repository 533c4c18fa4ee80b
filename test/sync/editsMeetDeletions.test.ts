/**
 * Edits that meet deletions (issue 12): a measure added to a programme deleted at the same
 * time is listed under Конфликты as «добавлено в удалённую программу» with «восстановить» /
 * «удалить тоже»; a deletion undone by a concurrent edit is listed too; a later deliberate
 * edit of a field closes its open conflicts; a package of another district is named as such.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import type { ConflictView, DeletionConflictView } from '../../core/contract/sync';
import { dispatch } from '../../core/dispatch';
import { openConflicts } from '../../core/sync/apply';
import { deletionConflicts } from '../../core/sync/deletionConflicts';
import { buildOutgoing } from '../../core/sync/local.node';
import { SyncRefusal } from '../../core/sync/package.node';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import { enrol, importInto, makeLaptop, syncFully, type Laptop } from './helpers';
import { hubForFile } from './hubForFile';

const files = hubForFile();
const laptops = files.laptops;

async function pair(name: string): Promise<[Laptop, Laptop, string]> {
  const d = await files.hub.hub.createDistrict(name);
  const a = makeLaptop(`${name}-a`);
  const b = makeLaptop(`${name}-b`);
  laptops.push(a, b);
  await enrol(files.hub.hub, a, d.id);
  await enrol(files.hub.hub, b, d.id);
  return [a, b, d.id];
}

const ctxOf = (l: Laptop): Ctx => ({ store: l.store, dataDir: l.dataDir, emit: () => undefined });

async function listed(l: Laptop): Promise<ConflictView[]> {
  const r = await dispatch(ctxOf(l), 'conflicts.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ConflictView[];
}

const deletionItems = async (l: Laptop) => (await listed(l)).filter((c): c is DeletionConflictView => c.kind !== 'field');

async function programmeWithMeasure(a: Laptop, b: Laptop) {
  const school = insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Школа', short_name: 'Школа', kind: 'СОШ', is_participant: true, stage: 'forming' });
  const programme = insertRow(a.store, 'programmes', { school_id: school.id, kind: 'arp', title: 'АРП по РФ1' });
  const seen = insertRow(a.store, 'measures', { programme_id: programme.id, position: 1, title: 'Мероприятие, которое видели', date_text: '', unplanned: false, status: 'planned' });
  for (const l of [a, b]) await syncFully(files.hub.hub, l);
  // At the same time: b adds a measure (offline), a deletes the programme.
  const added = insertRow(b.store, 'measures', { programme_id: programme.id, position: 2, title: 'Добавлено без связи', date_text: '', unplanned: false, status: 'planned' });
  softDelete(a.store, 'programmes', programme.id);
  for (const l of [a, b, a]) await syncFully(files.hub.hub, l);
  return { programme, seen, added };
}

describe('edits that meet deletions', () => {
  it('a measure added to a programme deleted at the same time is listed on both laptops; «восстановить» brings the programme back everywhere', async () => {
    const [a, b] = await pair('Район удаления');
    const { programme, seen, added } = await programmeWithMeasure(a, b);
    for (const l of [a, b]) {
      expect(getRow(l.store, 'programmes', programme.id)?.deleted_at, l.name).not.toBeNull();
      const items = await deletionItems(l);
      // The measure the deletion had seen went to the trash with its programme; only the new one is a conflict.
      expect(items.map((c) => c.rowId), l.name).toEqual([added.id]);
      expect(items[0]).toMatchObject({ kind: 'added_to_deleted', table: 'measures', rowTitle: 'Добавлено без связи', parent: { table: 'programmes', id: programme.id, title: 'АРП по РФ1' } });
    }
    const [item] = await deletionItems(a);
    expect((await dispatch(ctxOf(a), 'conflicts.resolve', { id: item!.id, pick: 'restore' })).ok).toBe(true);
    for (const l of [a, b]) await syncFully(files.hub.hub, l);
    for (const l of [a, b]) {
      expect(getRow(l.store, 'programmes', programme.id)?.deleted_at, l.name).toBeNull();
      expect(getRow(l.store, 'measures', seen.id)?.deleted_at).toBeNull();
      expect(await deletionItems(l)).toEqual([]);
    }
  });

  it('«удалить тоже» deletes the added measure everywhere and the programme stays deleted', async () => {
    const [a, b] = await pair('Район удалить тоже');
    const { programme, added } = await programmeWithMeasure(a, b);
    const [item] = await deletionItems(b);
    expect((await dispatch(ctxOf(b), 'conflicts.resolve', { id: item!.id, pick: 'delete' })).ok).toBe(true);
    for (const l of [b, a]) await syncFully(files.hub.hub, l);
    for (const l of [a, b]) {
      expect(getRow(l.store, 'measures', added.id)?.deleted_at, l.name).not.toBeNull();
      expect(getRow(l.store, 'programmes', programme.id)?.deleted_at).not.toBeNull();
      expect(await deletionItems(l)).toEqual([]);
    }
  });

  it('a deletion undone by a concurrent edit is listed on both laptops; «удалить снова» and «оставить» settle it everywhere', async () => {
    const [a, b] = await pair('Район отменённого удаления');
    const kept = insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Оставить', short_name: 'Оставить', kind: 'СОШ', is_participant: true, stage: 'forming' });
    const again = insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Удалить снова', short_name: 'Удалить снова', kind: 'СОШ', is_participant: true, stage: 'forming' });
    for (const l of [a, b]) await syncFully(files.hub.hub, l);
    for (const s of [kept, again]) {
      softDelete(a.store, 'schools', s.id);
      updateRow(b.store, 'schools', s.id, { notes: 'правка в то же время' });
    }
    for (const l of [a, b, a]) await syncFully(files.hub.hub, l);
    for (const l of [a, b]) {
      const items = await deletionItems(l);
      expect(items.map((c) => [c.kind, c.rowTitle]).sort(), l.name).toEqual([
        ['deletion_undone', 'Оставить'],
        ['deletion_undone', 'Удалить снова'],
      ]);
      for (const s of [kept, again]) expect(getRow(l.store, 'schools', s.id)?.deleted_at).toBeNull();
    }
    const items = await deletionItems(b);
    for (const c of items) expect((await dispatch(ctxOf(b), 'conflicts.resolve', { id: c.id, pick: c.rowId === kept.id ? 'restore' : 'delete' })).ok).toBe(true);
    for (const l of [b, a]) await syncFully(files.hub.hub, l);
    for (const l of [a, b]) {
      expect(getRow(l.store, 'schools', kept.id)?.deleted_at, l.name).toBeNull();
      expect(getRow(l.store, 'schools', again.id)?.deleted_at, l.name).not.toBeNull();
      expect(deletionConflicts(l.store)).toEqual([]);
    }
  });

  it('a later deliberate edit of a field closes every open conflict of that field, on every laptop', async () => {
    const [a, b] = await pair('Район старых конфликтов');
    const s = insertRow(a.store, 'schools', { district_id: 'd', full_name: 'Школа', short_name: 'Школа', kind: 'СОШ', is_participant: true, stage: 'forming' });
    for (const l of [a, b]) await syncFully(files.hub.hub, l);
    for (let round = 0; round < 3; round++) {
      updateRow(a.store, 'schools', s.id, { address: `адрес А${round}` });
      updateRow(b.store, 'schools', s.id, { address: `адрес Б${round}` });
      for (const l of [a, b, a]) await syncFully(files.hub.hub, l);
    }
    // Each deliberate edit closed the conflicts of the field its laptop knew: only the last pair's is open.
    const open = (l: Laptop) => openConflicts(l.store).filter((c) => c.col === 'address').map((c) => c.lost);
    expect(open(a)).toHaveLength(1);
    expect(open(b)).toEqual(open(a));
    updateRow(b.store, 'schools', s.id, { address: 'окончательный адрес' });
    for (const l of [b, a]) await syncFully(files.hub.hub, l);
    for (const l of [a, b]) {
      expect(openConflicts(l.store), l.name).toEqual([]);
      expect(getRow(l.store, 'schools', s.id)?.address).toBe('окончательный адрес');
    }
  });

  it('a package of another district is refused naming the district, not as an unknown device', async () => {
    const [a] = await pair('Район первый');
    const d2 = await files.hub.hub.createDistrict('Район второй');
    // A laptop enrolled before packages were sealed sends its first package plain, so any laptop can open it
    // (a sealed one is refused there as addressed to someone else).
    const other = makeLaptop('other');
    laptops.push(other);
    await enrol(files.hub.hub, other, d2.id, { legacy: true });
    insertRow(other.store, 'schools', { district_id: 'd', full_name: 'Чужая школа', short_name: 'Чужая', kind: 'СОШ', is_participant: true, stage: 'forming' });
    for (const bytes of [buildOutgoing(other.store, other.dataDir)]) {
      let refusal: unknown;
      try {
        importInto(a, bytes);
      } catch (e) {
        refusal = e;
      }
      expect(refusal).toBeInstanceOf(SyncRefusal);
      expect(refusal).toMatchObject({ reason: 'foreign_district', message: 'Пакет из другого района: этот ноутбук работает с районом «Район первый». Ничего не изменено; загрузите пакет, полученный для своего района.' });
    }
  });
});
