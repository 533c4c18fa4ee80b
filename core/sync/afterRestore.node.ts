/**
 * What sync needs from a database restored from a backup, so the laptop re-syncs without
 * duplicating or losing changes.
 *
 * A backup's change log and device_seq stop at the moment it was made, but the hub may
 * already hold later changes of this device (it sent them before the restore), and the
 * backup's download cursor is stale. So the restored database, before it is used:
 *
 * - keeps the device's identity: the same device id and the key the hub registered, so the
 *   hub still accepts its packages (a change's author must be the package's signer);
 * - numbers its next changes above every seq the device may have used (`SEQ_FLOOR`), so the
 *   hub never drops a new change as a repeat of an old (device, device_seq);
 * - keeps its clock past every clock the device has stamped, so (clock, device) stays unique;
 * - downloads everything again (cursor 0; applying is idempotent by (device, device_seq), so
 *   what the backup already holds is skipped) and asks the hub, in every package from then on,
 *   for its own changes between the backup's last one and the restore (`resendOwn`): what it
 *   sent after the backup is the district's data now and comes back like any other device's
 *   change, even from a package file it exported before the restore that reaches the hub later.
 */
import { AppError } from '../../db/errors';
import { getMeta, maxOwnSeq, replicaOf, SEQ_FLOOR, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { enrolment, META } from './local.node';

/** The laptop's identity as a sync replica: its keys and enrolment, not part of the district's data. */
const IDENTITY_KEYS = [
  META.privateKey,
  META.publicKey,
  META.encPrivateKey,
  META.encPublicKey,
  META.server,
  META.district,
  META.districtName,
  META.hubDevice,
  META.hubKey,
  META.hubEncKey,
] as const;

/**
 * Prepares `restored` (a copy of a backup, not yet in use) to replace `live` (the database in
 * use until now). Throws AppError when the backup belongs to another laptop.
 */
export function prepareRestoredReplica(restored: Store, live: Store): void {
  const liveId = getMeta(live, 'device_id');
  const restoredId = getMeta(restored, 'device_id');
  if (liveId && restoredId && liveId !== restoredId && enrolment(live)) {
    throw new AppError(
      'other_device',
      'Копия сделана другим ноутбуком (у неё другой идентификатор устройства): после её восстановления этот ноутбук не смог бы синхронизироваться. Ничего не изменено.',
    );
  }
  const sameDevice = !!liveId && (!restoredId || restoredId === liveId);
  restored.tx(() => {
    if (!sameDevice) return;
    setMeta(restored, 'device_id', liveId);
    for (const key of IDENTITY_KEYS) {
      const value = getMeta(live, key);
      if (value !== undefined) setMeta(restored, key, value);
    }
    const replica = replicaOf(live);
    const used = Math.max(replica.nextSeq - 1, Number(getMeta(live, META.acked) ?? '0'), Number(getMeta(restored, SEQ_FLOOR) ?? '0'));
    const held = maxOwnSeq(restored, liveId);
    const floor = Math.max(used, held);
    setMeta(restored, SEQ_FLOOR, String(floor));
    const clock = replica.clock.current();
    if (clock > (getMeta(restored, 'hlc') ?? '')) setMeta(restored, 'hlc', clock);
    if (!enrolment(restored)) return;
    setMeta(restored, META.cursor, '0');
    // A backup made after an earlier restore may still lack what that restore asked for: one range covers both.
    const earlier = getMeta(restored, META.resendOwn);
    const after = Math.min(held, earlier === undefined ? held : (JSON.parse(earlier) as { after: number }).after);
    setMeta(restored, META.resendOwn, JSON.stringify({ after, upto: floor }));
  });
}
