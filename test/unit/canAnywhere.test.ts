/** The rule behind «Записать посещение» and «Новый график»: may the account do it at some school? */
import { describe, expect, it } from 'vitest';
import { canAnywhere } from '../../renderer/src/hooks/canAnywhere';

const curator = { role: 'curator' as const, personId: 'p-curator', ownSchoolIds: ['s-1'] };

describe('canAnywhere', () => {
  it('allows everything before any account exists, and the coordinator everywhere', () => {
    expect(canAnywhere(null, 'visits.edit')).toEqual({ decision: { allowed: true }, never: false });
    expect(canAnywhere({ role: 'coordinator', personId: 'p-coord', ownSchoolIds: [] }, 'schedules.edit').decision.allowed).toBe(true);
  });

  it('allows a curator with a school of their own today; without one the control is disabled with the reason', () => {
    expect(canAnywhere(curator, 'visits.edit').decision.allowed).toBe(true);
    const none = canAnywhere({ ...curator, ownSchoolIds: [] }, 'visits.edit');
    expect(none.never).toBe(false);
    expect(none.decision).toEqual({ allowed: false, reason: 'Куратор может вести журнал посещений только по своим школам, а сейчас за вами не закреплена ни одна школа.' });
  });

  it('a viewer may never: the control is hidden, and the reason names who may', () => {
    const viewer = canAnywhere({ role: 'viewer', personId: 'p-viewer', ownSchoolIds: [] }, 'visits.edit');
    expect(viewer.never).toBe(true);
    expect(!viewer.decision.allowed && viewer.decision.reason).toMatch(/^Вести журнал посещений могут только муниципальный координатор и куратор \(по своим школам\)/);
    // A curator never approves schedules, whatever their schools.
    expect(canAnywhere(curator, 'schedules.approve').never).toBe(true);
  });
});
