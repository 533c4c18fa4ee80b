/** useCan for a control that opens a form where the school is chosen (see canAnywhere). */
import type { Action } from '../../../core/rules/permissions';
import { useSession } from '../stores/session';
import { canAnywhere, type AnywhereDecision } from './canAnywhere';

export function useCanAnywhere(action: Action): AnywhereDecision {
  return canAnywhere(
    useSession((s) => s.auth?.session ?? null),
    action,
  );
}
