// The change view (#/changes/{id}): the record's facts and one panel per concern, re-rendered only when the record
// changed so that a comment being typed is not wiped by polling.
import { api, apiKey, problemText } from './api.js';
import { approvalsPanel } from './approvals.js';
import { el, facts } from './dom.js';
import { driftPanel } from './drift.js';
import { evidencePanel } from './evidence.js';
import { simulatedBadge, statusBadge, when } from './format.js';
import { planDiffPanel } from './plan-diff.js';
import { planGraph } from './plan-graph.js';
import { timeline, waveProgress } from './timeline.js';

let lastRecordText = null;

// The next render draws the change again even if its record is unchanged (another change was opened).
export function forgetRecord() { lastRecordText = null; }

function tracePanel(record) {
  return el('div', { class: 'panel', id: 'trace-panel' }, el('h3', { text: 'Audit trace' }),
    el('ul', { class: 'trace' }, (record.audit_trace || []).map(t => el('li', {}, el('span', { class: 'mono', text: `${when(t.ts)} ` }), el('b', { text: `${t.phase} ` }), t.msg))));
}

// refresh: re-reads the page (after an approval decision).
export async function renderChange(id, refresh) {
  const view = document.getElementById('change-view');
  if (!apiKey()) {
    lastRecordText = null;
    view.replaceChildren(el('p', { text: 'Enter an API key above to read this change.' }));
    return;
  }
  const res = await api(`/api/changes/${encodeURIComponent(id)}`);
  if (!res.ok) {
    lastRecordText = null;
    view.replaceChildren(el('p', { class: 'message error', text: problemText(res) }), el('a', { href: '#/', text: '← all changes' }));
    return;
  }
  const text = JSON.stringify(res.body);
  if (text === lastRecordText) return;
  lastRecordText = text;
  const r = res.body;
  view.replaceChildren(
    el('p', {}, el('a', { href: '#/', text: '← all changes' })),
    el('h2', {}, el('span', { class: 'mono', id: 'change-id', text: r.change_id }), ' ', el('span', { id: 'change-status' }, statusBadge(r.status)), ' ', simulatedBadge(r)),
    facts([['request', r.intent && r.intent.request], ['initiator', r.initiator], ['submitted', when(r.submitted_at)], ['updated', when(r.updated_at)],
      ['phase', r.phase], ['reason', r.reason], ['plan hash', el('code', { text: (r.plan && r.plan.plan_hash) || '' })]]),
    timeline(r),
    el('div', { class: 'grid2' }, waveProgress(r), approvalsPanel(r, refresh)),
    planDiffPanel(r),
    planGraph(r),
    el('div', { class: 'grid2' }, driftPanel(r), evidencePanel(r)),
    tracePanel(r));
}
