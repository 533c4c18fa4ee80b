import { roleKeys, type RoleKey } from '../../../../core/contract/people';
import { t } from '../../i18n/ru';

export const roleLabel: Record<RoleKey, string> = {
  is_coordinator: t.people.roles.coordinator,
  is_curator: t.people.roles.curator,
  is_school_coordinator: t.people.roles.school_coordinator,
  is_director: t.people.roles.director,
};

/** The role names a person has, in a fixed order. */
export function rolesOf(p: Record<RoleKey, 0 | 1 | boolean>): string[] {
  return roleKeys.filter((k) => !!p[k]).map((k) => roleLabel[k]);
}
