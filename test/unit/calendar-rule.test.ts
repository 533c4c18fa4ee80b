import { describe, expect, it } from 'vitest';
import { agendaOrder, deadlineState, stageState } from '../../core/rules/calendar';

const today = '2024-05-10';

describe('deadline rule', () => {
  it('a deadline within 30 days is due, today included; 31 days ahead is not', () => {
    expect(deadlineState({ deadline: '2024-05-10' }, today)).toEqual({ status: 'due', days_left: 0 });
    expect(deadlineState({ deadline: '2024-06-09' }, today)).toEqual({ status: 'due', days_left: 30 });
    expect(deadlineState({ deadline: '2024-06-10' }, today).status).toBe('upcoming');
  });
  it('a started window with a far deadline is open', () => {
    expect(deadlineState({ date_from: '2024-05-01', deadline: '2024-07-01' }, today).status).toBe('open');
  });
  it('a passed deadline is late unless done', () => {
    expect(deadlineState({ deadline: '2024-05-09' }, today)).toEqual({ status: 'late', days_left: -1 });
    expect(deadlineState({ deadline: '2024-05-09', done: true }, today).status).toBe('done');
  });
  it('calendar stages stay late for 30 days, then become history', () => {
    expect(stageState({ deadline: '2024-04-10' }, today).status).toBe('late');
    expect(stageState({ deadline: '2024-04-09' }, today).status).toBe('past');
    expect(stageState({ date_from: '2024-04-01', deadline: '2024-05-25' }, today)).toEqual({ status: 'due', days_left: 15 });
  });
  it('agenda puts the oldest late item first, then the soonest due', () => {
    const items = [
      { n: 'due-later', state: deadlineState({ deadline: '2024-05-30' }, today) },
      { n: 'late-recent', state: deadlineState({ deadline: '2024-05-09' }, today) },
      { n: 'due-soon', state: deadlineState({ deadline: '2024-05-11' }, today) },
      { n: 'late-old', state: deadlineState({ deadline: '2024-05-01' }, today) },
    ];
    expect(agendaOrder(items).map((i) => i.n)).toEqual(['late-old', 'late-recent', 'due-soon', 'due-later']);
  });
});
