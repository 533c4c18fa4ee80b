import { get } from '../../bridge';
import type { LookupOption } from '../../components/Lookup';

/** Schools matching the typed text, for pickers (server-side, so any number of schools). */
export async function searchSchools(text: string): Promise<LookupOption[]> {
  const { rows } = await get('schools.list', { search: text, limit: 20 });
  return rows.map((r) => ({ id: r.id, label: r.short_name, hint: r.full_name !== r.short_name ? r.full_name : null }));
}
