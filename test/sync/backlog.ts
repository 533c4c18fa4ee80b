/** A laptop's backlog for the slow-link test and bench: many small changes and one large attachment. */
import crypto from 'node:crypto';
import type { Ctx } from '../../core/context';
import { putBlob } from '../../core/blobs.node';
import { syncHttp } from '../../core/sync/client';
import { pendingCount } from '../../core/sync/local.node';
import { missingBlobs } from '../../core/sync/transferBlobs.node';
import { insertRow } from '../../db/write';
import type { Laptop } from './helpers';

/** `changes` new people and, when `fileBytes` > 0, a school, programme, measure and the evidence file of that size (random, so it does not compress). Returns the file's SHA-256. */
export function makeBacklog(laptop: Laptop, changes: number, fileBytes: number): string | null {
  const store = laptop.store;
  let sha: string | null = null;
  store.tx(() => {
    for (let i = 0; i < changes; i++) {
      insertRow(store, 'people', { district_id: 'd', last_name: `Фамилия ${i}`, first_name: 'Имя', middle_name: 'Отчество', position: 'Учитель', is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: false });
    }
    if (fileBytes > 0) {
      const school = insertRow(store, 'schools', { district_id: 'd', full_name: 'Школа с большим документом', short_name: 'Ш', kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
      const programme = insertRow(store, 'programmes', { school_id: school, kind: 'concept', title: 'Концепция' }).id;
      const measure = insertRow(store, 'measures', { programme_id: programme, position: 1, title: 'Мероприятие', date_text: 'май', unplanned: false, status: 'planned' }).id;
      const blob = putBlob(store, laptop.dataDir, crypto.randomBytes(fileBytes), 'application/pdf', 'скан.pdf');
      sha = blob.sha256;
      insertRow(store, 'evidence', { measure_id: measure, title: 'Скан приказа', kind: 'file', file_sha256: blob.sha256, file_name: 'скан.pdf', file_size: blob.size, mime: 'application/pdf', uploaded_at: new Date().toISOString(), verdict: 'pending' });
    }
  });
  return sha;
}

/**
 * Syncs until nothing is waiting either way, as a user would press «Продолжить» after a run the
 * link broke for good; returns how many runs it took.
 */
export async function syncUntilDone(laptop: Laptop, maxRuns = 10): Promise<number> {
  const ctx: Ctx = { store: laptop.store, dataDir: laptop.dataDir, emit: () => undefined };
  for (let run = 1; run <= maxRuns; run++) {
    try {
      await syncHttp(ctx);
      if (pendingCount(laptop.store) === 0 && missingBlobs(laptop.store, laptop.dataDir).length === 0) return run;
    } catch (e) {
      if (!(e instanceof Error && /прервалась|недоступен/.test(e.message))) throw e;
    }
  }
  throw new Error(`не доставлено за ${maxRuns} запусков`);
}
