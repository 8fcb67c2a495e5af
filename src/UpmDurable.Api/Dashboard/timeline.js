// Progress of a change: the five-phase timeline and the per-wave progress bars.
import { el } from './dom.js';
import { when } from './format.js';

const PHASES = [
  { id: 'plan', name: 'Plan' },
  { id: 'preflight', name: 'Pre-flight & approvals' },
  { id: 'execute', name: 'Execute' },
  { id: 'verify', name: 'Verify' },
  { id: 'audit', name: 'Audit & rollback' },
];
const FINAL = ['completed', 'rejected', 'expired', 'preflight_failed', 'aborted', 'failed', 'rolled_back', 'rollback_failed'];
const WAITING = ['awaiting_approval', 'paused', 'waiting_for_window'];

// Each phase's state (done, active, waiting, pending, skipped, failed, rolled-back) from the record's phase and status.
function phaseStates(record) {
  const current = PHASES.findIndex(p => p.id === record.phase);
  const final = FINAL.includes(record.status);
  return PHASES.map((phase, i) => {
    let s;
    if (record.status === 'completed') s = 'done';
    else if (i < current) s = 'done';
    else if (i > current) s = final ? 'skipped' : 'pending';
    else if (!final) s = WAITING.includes(record.status) ? 'waiting' : 'active';
    else s = record.status === 'rolled_back' ? 'rolled-back' : 'failed';
    return { ...phase, state: s, started: (record.phase_started_at || {})[phase.id] };
  });
}

export function timeline(record) {
  return el('div', { class: 'panel', id: 'timeline-panel' },
    el('h3', { text: 'Phases' }),
    el('ol', { class: 'timeline', id: 'timeline' }, phaseStates(record).map(p => el('li', { 'data-phase': p.id, 'data-state': p.state },
      el('span', { class: 'name', text: p.name }),
      el('span', { class: 'state', text: p.state === 'waiting' ? record.status.replaceAll('_', ' ') : p.state }),
      p.started ? el('div', { class: 'mono', text: when(p.started) }) : null))));
}

export function waveProgress(record) {
  const plan = record.plan;
  const panel = el('div', { class: 'panel', id: 'waves-panel' }, el('h3', { text: 'Waves' }));
  if (!plan) return (panel.append(el('p', { text: 'No plan yet.' })), panel);
  const applied = new Map();
  for (const step of (record.execution && record.execution.steps) || []) applied.set(step.step_id, step.outcome);
  const grid = el('div', { class: 'waves' });
  plan.waves.forEach((wave, i) => {
    const done = wave.filter(id => applied.has(id) && applied.get(id) !== 'failed').length;
    const failed = wave.filter(id => applied.get(id) === 'failed').length;
    grid.append(
      el('span', { text: `wave ${i + 1}` }),
      el('progress', { max: wave.length, value: done, 'data-wave': i + 1, title: wave.join(', ') }),
      el('span', { class: failed ? 'message error' : '', text: `${done}/${wave.length}${failed ? `, ${failed} failed` : ''}` }));
  });
  panel.append(grid);
  if (record.rollback && record.rollback.executed) {
    panel.append(el('p', { class: 'message error', text: `Rolled back (${record.rollback.trigger || 'rollback'}): ${record.rollback.steps.length} compensation step(s).` }));
  }
  return panel;
}
