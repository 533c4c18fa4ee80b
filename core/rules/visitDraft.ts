/**
 * When an unfinished visit entry is worth a row in the journal. A school, curator, date,
 * stage or format alone is what the form fills in by itself: a draft of only those is an
 * empty form, and the journal never shows it (issue 13: «Черновик» rows with nothing in them).
 * Used by the visit form (whether to autosave, what to say) and by visits.saveDraft (the guard).
 */
export interface DraftContent {
  participants?: string | null | undefined;
  topics?: string | null | undefined;
  findings?: string | null | undefined;
  recommendations?: string | null | undefined;
  next_visit_date?: string | null | undefined;
  topic_links?: readonly unknown[] | undefined;
  steps?: readonly { text: string }[] | undefined;
}

const filled = (s: string | null | undefined) => !!s && s.trim() !== '';

export function draftHasContent(d: DraftContent): boolean {
  return (
    filled(d.participants) ||
    filled(d.topics) ||
    filled(d.findings) ||
    filled(d.recommendations) ||
    filled(d.next_visit_date) ||
    (d.topic_links?.length ?? 0) > 0 ||
    (d.steps ?? []).some((s) => filled(s.text))
  );
}
