/**
 * The curator's verdict on a piece of evidence (seed 003: documents «согласованы
 * кураторами»): на проверке → подтверждено | на доработке (with a comment saying what
 * to fix). One rule for the handlers, the editor's buttons and the reports.
 */
import type { EvidenceVerdict } from '../../db/schema';

export const VERDICT_LABELS: Record<EvidenceVerdict, string> = {
  pending: 'На проверке',
  confirmed: 'Подтверждено',
  rework: 'На доработке',
};

/**
 * Allowed moves. A confirmed document may be reopened (sent back to «на доработке»
 * when the curator finds a defect later); a reworked document returns to review once
 * it is fixed, or is confirmed as it stands. Staying in the same verdict is no move.
 */
const TRANSITIONS: Record<EvidenceVerdict, readonly EvidenceVerdict[]> = {
  pending: ['confirmed', 'rework'],
  rework: ['pending', 'confirmed'],
  confirmed: ['rework'],
};

export type VerdictCheck = { ok: true } | { ok: false; message: string; field?: 'verdict' | 'comment' };

export function allowedVerdicts(from: EvidenceVerdict): readonly EvidenceVerdict[] {
  return TRANSITIONS[from];
}

/** Checks a verdict change; «на доработке» needs a comment saying what to fix. */
export function checkVerdict(from: EvidenceVerdict, to: EvidenceVerdict, comment: string | null | undefined): VerdictCheck {
  if (from === to) return { ok: false, field: 'verdict', message: `Документ уже в статусе «${VERDICT_LABELS[to]}».` };
  if (!TRANSITIONS[from].includes(to)) {
    return { ok: false, field: 'verdict', message: `Нельзя перевести документ из статуса «${VERDICT_LABELS[from]}» в «${VERDICT_LABELS[to]}».` };
  }
  if (to === 'rework' && !(comment ?? '').trim()) {
    return { ok: false, field: 'comment', message: 'Напишите, что нужно доработать: без комментария документ на доработку не возвращается.' };
  }
  return { ok: true };
}
