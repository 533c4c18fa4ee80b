/**
 * A scalar subquery can return one value only, so lists that show a person's name pack
 * the name columns into one string in SQL and format it as «Фамилия И.О.» here.
 */
import { personShort } from './format';

/** SQL packing the name columns of the people row aliased `alias`. */
export const packedNameSql = (alias: string): string => `${alias}.last_name || '|' || ${alias}.first_name || '|' || coalesce(${alias}.middle_name, '')`;

export function shortFromPacked(packed: string | null): string | null {
  if (!packed) return null;
  const [last_name = '', first_name = '', middle_name = ''] = packed.split('|');
  return personShort({ last_name, first_name, middle_name });
}
