import type { Migration } from './types';

/** Indexes for the expertise sheets (marks by programme and date) and curator engagement (comments and verdicts by author). */
export const m006ExpertiseIndexes: Migration = {
  version: 6,
  name: 'indexes for expertise marks and curator engagement',
  up: [
    `CREATE INDEX expertise_marks_programme ON expertise_marks (programme_id, reporting_date, criterion);`,
    `CREATE INDEX comments_author ON comments (author_id, created_at);`,
    `CREATE INDEX verdicts_person ON evidence_verdicts (by_person_id, at);`,
  ],
};
