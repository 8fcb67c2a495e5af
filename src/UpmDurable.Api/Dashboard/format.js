// How values look on the page: times, status badges, the simulated badge.
import { el } from './dom.js';

export function when(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return isNaN(d) ? String(ts) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function statusBadge(status) {
  return el('span', { class: `status status-${status}`, 'data-status': status, text: status });
}

// A simulated change (sandbox provider: nothing real ran) carries a badge wherever its status shows; see docs/simulated-runs.md.
export function simulatedBadge(change) {
  return change && change.simulated === true
    ? el('span', { class: 'simulated', 'data-simulated': 'true', title: 'Simulated: the sandbox played this change; nothing real ran.', text: 'simulated' })
    : '';
}
