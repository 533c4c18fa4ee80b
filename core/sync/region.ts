/**
 * The region a joined laptop's district belongs to. The `regions` row a laptop creates with
 * its district never leaves it (region tables are the region's), so on every other laptop
 * the district's region_id points nowhere. The hub publishes its own region as reference
 * data; a laptop whose district has no region it knows points the district at the hub's —
 * an ordinary synced edit, so every laptop of the district ends up with the same region.
 */
import { getMeta } from '../../db/replica';
import { qb, type Store } from '../../db/store';
import { getRow, updateRow } from '../../db/write';
import { enrolment } from './local.node';

/** The live regions row the hub published last (its changes are authored by the hub device). */
export function hubRegionId(store: Store): string | null {
  const e = enrolment(store);
  if (!e) return null;
  const r = store.first(
    qb
      .selectFrom('changes as c')
      .innerJoin('regions as r', (j) => j.onRef('r.id', '=', 'c.row_id').on('r.deleted_at', 'is', null))
      .select('c.row_id as id')
      .where('c.device_id', '=', e.hubDevice)
      .where('c.tbl', '=', 'regions')
      .orderBy('c.device_seq', 'desc')
      .limit(1),
  );
  return r?.id ?? null;
}

/** Points the district at the hub's region when its own region is unknown here; true when it did. */
export function linkHubRegion(store: Store): boolean {
  const districtId = getMeta(store, 'district_id');
  const district = districtId ? getRow(store, 'districts', districtId) : undefined;
  if (!district || district.deleted_at) return false;
  if (district.region_id) {
    const region = getRow(store, 'regions', district.region_id);
    if (region && !region.deleted_at) return false;
  }
  const hub = hubRegionId(store);
  if (!hub) return false;
  updateRow(store, 'districts', district.id, { region_id: hub });
  return true;
}
