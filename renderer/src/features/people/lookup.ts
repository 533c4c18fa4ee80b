import type { InputOf } from '../../../../core/contract';
import { personShort } from '../../../../core/format';
import { get } from '../../bridge';
import type { LookupOption } from '../../components/Lookup';

type Role = NonNullable<InputOf<'people.list'>['role']>;

/** People matching the typed text (optionally of one role), for pickers. */
export async function searchPeople(text: string, role: Role): Promise<LookupOption[]> {
  const { rows } = await get('people.list', { search: text, role, limit: 20 });
  return rows.map((r) => ({ id: r.id, label: personShort(r), hint: [r.position, r.organisation_name].filter(Boolean).join(', ') || null }));
}
