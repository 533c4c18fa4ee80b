/** The region generator: same seed, same district; its rows are what the write layer writes. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../db/open';
import { generateRegion } from '../fixtures/generate';
import { tempDir } from './coreFixture';

function snapshot(seed: number) {
  const store = openStore(path.join(tempDir(), 'g.sqlite'));
  const g = generateRegion(store, { schools: 120, people: 400, seed });
  const names = (store.sqlite.prepare('SELECT short_name, kind, is_participant, cohort_year FROM schools ORDER BY rowid').all() as unknown[]);
  const db = store.sqlite;
  const orphans = {
    // every synced row has its change-log entry and a clock for each written column
    schoolsWithoutChange: (db.prepare("SELECT count(*) n FROM schools s WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.tbl = 'schools' AND c.row_id = s.id)").get() as { n: number }).n,
    peopleWithoutClock: (db.prepare("SELECT count(*) n FROM people p WHERE NOT EXISTS (SELECT 1 FROM field_clocks f WHERE f.tbl = 'people' AND f.row_id = p.id AND f.col = 'last_name')").get() as { n: number }).n,
    directorsMissing: (db.prepare('SELECT count(*) n FROM schools s LEFT JOIN people p ON p.id = s.director_id WHERE p.id IS NULL').get() as { n: number }).n,
    assignmentsToNonCurators: (db.prepare('SELECT count(*) n FROM curator_assignments a JOIN people p ON p.id = a.curator_id WHERE p.is_curator = 0').get() as { n: number }).n,
  };
  const seqs = db.prepare('SELECT count(*) n, count(DISTINCT device_seq) d, max(device_seq) m FROM changes').get() as { n: number; d: number; m: number };
  store.close();
  return { g, names, orphans, seqs };
}

describe('generateRegion', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = snapshot(7);
    const b = snapshot(7);
    const c = snapshot(8);
    expect(a.names).toEqual(b.names);
    expect(a.g.counts).toEqual(b.g.counts);
    expect(c.names).not.toEqual(a.names);
  });

  it('writes the requested sizes through the write layer (change log and clocks for every row)', () => {
    const s = snapshot(1);
    expect(s.g.counts.schools).toBe(120);
    expect(s.g.counts.people).toBe(400);
    expect(s.g.counts.assignments).toBeGreaterThan(30);
    expect(s.orphans).toEqual({ schoolsWithoutChange: 0, peopleWithoutClock: 0, directorsMissing: 0, assignmentsToNonCurators: 0 });
    // One dense per-device sequence, as sync expects.
    expect(s.seqs.d).toBe(s.seqs.n);
    expect(s.seqs.m).toBe(s.seqs.n);
  });
});
