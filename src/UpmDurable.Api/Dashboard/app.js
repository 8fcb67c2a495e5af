// UpmDurable dashboard: vanilla JS over the same API and keys as the CLI. Everything is built with DOM calls and
// textContent (never innerHTML), so nothing the API returns can become markup or script.
'use strict';

const KEY_STORAGE = 'upm-api-key';
const POLL_MS = 2000;
const PHASES = [
  { id: 'plan', name: 'Plan' },
  { id: 'preflight', name: 'Pre-flight & approvals' },
  { id: 'execute', name: 'Execute' },
  { id: 'verify', name: 'Verify' },
  { id: 'audit', name: 'Audit & rollback' },
];
const FINAL = ['completed', 'rejected', 'expired', 'preflight_failed', 'aborted', 'failed', 'rolled_back', 'rollback_failed'];
const SVG_NS = 'http://www.w3.org/2000/svg';

// notes: the last outcome of an action per panel, kept across re-renders (polling replaces the panels).
const state = { view: null, changeId: null, lastRecordText: null, busy: false, notes: {} };

function note(key, text, error) {
  state.notes[key] = { text, error: !!error };
  const node = document.getElementById(key);
  if (node) show(node, key);
}

function show(node, key) {
  const n = state.notes[key];
  node.textContent = n ? n.text : '';
  node.className = n && n.error ? 'message error' : 'message';
}

// ---- DOM helpers ----------------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

function statusBadge(status) {
  return el('span', { class: `status status-${status}`, 'data-status': status, text: status });
}

// A simulated change (sandbox provider: nothing real ran) carries a badge wherever its status shows; see docs/simulated-runs.md.
function simulatedBadge(change) {
  return change && change.simulated === true
    ? el('span', { class: 'simulated', 'data-simulated': 'true', title: 'Simulated: the sandbox played this change; nothing real ran.', text: 'simulated' })
    : '';
}

function when(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return isNaN(d) ? String(ts) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== '')
    .map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v instanceof Node ? v : String(v))]));
}

function problemText(res) {
  const b = res.body;
  if (b && typeof b === 'object' && (b.title || b.detail)) {
    const fields = b.errors ? Object.entries(b.errors).map(([f, m]) => `${f}: ${[].concat(m).join(' ')}`).join('; ') : '';
    return `${res.status} ${b.title || ''} ${b.detail || ''}${fields ? ' (' + fields + ')' : ''}`.trim();
  }
  return `${res.status} ${typeof b === 'string' ? b.slice(0, 200) : ''}`.trim();
}

// ---- API ------------------------------------------------------------------------------------------------------
function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ''; }

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  if (apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  let body = options.body;
  if (body !== undefined && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method: options.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit' });
  if (options.blob) {
    return { status: response.status, ok: response.ok, blob: response.ok ? await response.blob() : null, body: response.ok ? null : await readBody(response) };
  }
  return { status: response.status, ok: response.ok, body: await readBody(response) };
}

async function readBody(response) {
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  if (type.includes('json') && text) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

// ---- key ------------------------------------------------------------------------------------------------------
function showKeyStatus() {
  const key = apiKey();
  document.getElementById('key-status').textContent = key ? 'key set for this tab' : 'no key: enter one to read changes';
  document.getElementById('forget-key').hidden = !key;
}

function setupKeyForm() {
  const form = document.getElementById('key-form');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('api-key');
    const key = input.value.trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    input.value = '';
    showKeyStatus();
    refresh();
  });
  document.getElementById('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    showKeyStatus();
    refresh();
  });
  showKeyStatus();
}

// ---- list -----------------------------------------------------------------------------------------------------
async function renderList() {
  const message = document.getElementById('list-message');
  const tbody = document.querySelector('#changes tbody');
  if (!apiKey()) {
    message.textContent = 'Enter an API key above to list your tenant\'s changes.';
    tbody.replaceChildren();
    return;
  }
  const res = await api('/api/changes?limit=100');
  if (!res.ok) {
    message.textContent = problemText(res);
    message.className = 'message error';
    return;
  }
  const changes = res.body.changes || [];
  message.className = 'message';
  message.textContent = changes.length ? `${changes.length} change(s)` : 'No changes yet.';
  tbody.replaceChildren(...changes.map(c => el('tr', { 'data-change-id': c.change_id },
    el('td', {}, el('a', { href: `#/changes/${encodeURIComponent(c.change_id)}`, class: 'mono', text: c.change_id })),
    el('td', {}, statusBadge(c.status), ' ', simulatedBadge(c)),
    el('td', { text: c.phase }),
    el('td', { text: c.initiator }),
    el('td', { class: 'request', title: c.request || '', text: c.request || '' }),
    el('td', { text: when(c.updated_at) }))));
}

// ---- change view ----------------------------------------------------------------------------------------------
function phaseStates(record) {
  const current = PHASES.findIndex(p => p.id === record.phase);
  const final = FINAL.includes(record.status);
  return PHASES.map((phase, i) => {
    let s;
    if (record.status === 'completed') s = 'done';
    else if (i < current) s = 'done';
    else if (i > current) s = final ? 'skipped' : 'pending';
    else if (!final) s = ['awaiting_approval', 'paused', 'waiting_for_window'].includes(record.status) ? 'waiting' : 'active';
    else s = record.status === 'rolled_back' ? 'rolled-back' : 'failed';
    return { ...phase, state: s, started: (record.phase_started_at || {})[phase.id] };
  });
}

function timeline(record) {
  return el('div', { class: 'panel', id: 'timeline-panel' },
    el('h3', { text: 'Phases' }),
    el('ol', { class: 'timeline', id: 'timeline' }, phaseStates(record).map(p => el('li', { 'data-phase': p.id, 'data-state': p.state },
      el('span', { class: 'name', text: p.name }),
      el('span', { class: 'state', text: p.state === 'waiting' ? record.status.replaceAll('_', ' ') : p.state }),
      p.started ? el('div', { class: 'mono', text: when(p.started) }) : null))));
}

function waveProgress(record) {
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

function approvalsPanel(record) {
  const a = record.approvals || {};
  const panel = el('div', { class: 'panel', id: 'approvals-panel' }, el('h3', { text: 'Approvals' }));
  panel.append(facts([
    ['outcome', statusBadge(a.outcome || 'pending')],
    ['required', `${a.required ?? 0} from ${(a.groups || []).join(', ') || '—'}`],
    ['deadline', when(a.deadline)],
    ['plan hash', el('code', { text: a.plan_hash || '' })],
    ['policy', record.preflight && record.preflight.approval ? record.preflight.approval.reason : ''],
  ]));
  const decisions = (a.decisions || []).map(d => el('li', { text: `${d.decision} by ${d.approver} via ${d.channel} at ${when(d.at)}${d.comment ? ': ' + d.comment : ''}` }));
  const refused = (a.refused || []).map(d => el('li', { class: 'message error', text: `refused ${d.decision} by ${d.approver}: ${d.refused_because || ''}` }));
  if (decisions.length || refused.length) panel.append(el('ul', { class: 'trace' }, decisions, refused));

  const message = el('p', { id: 'approval-message', role: 'status' });
  show(message, 'approval-message');
  if (record.status === 'awaiting_approval') {
    const comment = el('input', { type: 'text', id: 'approval-comment', placeholder: 'comment (optional)', maxlength: 2000 });
    const decide = decision => async () => {
      note('approval-message', `sending ${decision}…`);
      const res = await api(`/api/changes/${encodeURIComponent(record.change_id)}/approvals`, {
        method: 'POST', body: { decision, plan_hash: a.plan_hash, comment: comment.value || undefined },
      });
      if (res.ok) {
        note('approval-message', `${decision} accepted for ${res.body.plan_hash} (by ${res.body.approver}).`);
        setTimeout(refresh, 300);
      } else {
        note('approval-message', problemText(res), true);
      }
    };
    panel.append(el('div', { class: 'actions' },
      comment,
      el('button', { type: 'button', class: 'approve', id: 'approve-button', onclick: decide('approve'), text: 'Approve' }),
      el('button', { type: 'button', class: 'reject', id: 'reject-button', onclick: decide('reject'), text: 'Reject' })));
  }
  panel.append(message);
  return panel;
}

// The dry run as Terraform prints a plan: + create, ~ update, - delete with field: before -> after, and the count line.
const PLAN_SIGNS = { create: '+', update: '~', delete: '-', unchanged: ' ' };
function planDiffPanel(record) {
  const panel = el('div', { class: 'panel', id: 'plan-diff-panel' }, el('h3', { text: 'Plan diff (pre-flight dry run)' }));
  const preflight = record.preflight;
  if (!preflight) return (panel.append(el('p', { text: 'No pre-flight yet.' })), panel);
  const entries = preflight.dry_run || [];
  const count = action => entries.filter(e => e.action === action).length;
  const list = el('ul', { class: 'plan-diff', id: 'plan-diff' });
  for (const e of entries) {
    list.append(el('li', { 'data-action': e.action, 'data-step': e.step_id },
      el('span', { class: 'sign', text: `${PLAN_SIGNS[e.action] || '?'} ${e.action} ` }), el('span', { class: 'mono', text: e.step_id }),
      (e.changes || []).length ? el('ul', {}, e.changes.map(c => el('li', { class: 'mono', 'data-field': c.field, text: `${c.field}: ${c.before ?? '(none)'} -> ${c.after ?? '(none)'}` }))) : null));
  }
  panel.append(list, el('p', { id: 'plan-summary', text: `Plan: ${count('create')} to add, ${count('update')} to change, ${count('delete')} to destroy.` }));
  const adopted = preflight.adoptions || [];
  const irreversible = Object.entries(preflight.irreversible || {});
  if (adopted.length) panel.append(el('p', { class: 'message', id: 'plan-adoptions', text: `adopts (adopt: true): ${adopted.join(', ')}` }));
  if (irreversible.length) panel.append(el('p', { class: 'message error', id: 'plan-irreversible', text: `rollback cannot restore: ${irreversible.map(([id, why]) => `${id} (${why})`).join('; ')}` }));
  return panel;
}

function planGraph(record) {
  const panel = el('div', { class: 'panel', id: 'plan-panel' }, el('h3', { text: 'Plan graph' }));
  const plan = record.plan;
  if (!plan) return (panel.append(el('p', { text: 'No plan yet.' })), panel);
  const outcomes = new Map(((record.execution && record.execution.steps) || []).map(s => [s.step_id, s.outcome]));
  const boxW = 190, boxH = 30, colW = 240, rowH = 46, top = 26;
  const pos = new Map();
  plan.waves.forEach((wave, w) => wave.forEach((id, r) => pos.set(id, { x: 10 + w * colW, y: top + r * rowH })));
  const rows = Math.max(1, ...plan.waves.map(w => w.length));
  const width = 20 + plan.waves.length * colW, height = top + rows * rowH + 10;
  const graph = svg('svg', { class: 'plan-graph', id: 'plan-graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'plan dependency graph' });
  graph.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))));
  plan.waves.forEach((_, w) => graph.append(svg('text', { class: 'wave', x: 10 + w * colW, y: 14, text: `wave ${w + 1}` })));
  for (const step of plan.steps) {
    const to = pos.get(step.id);
    for (const dep of step.depends_on || []) {
      const from = pos.get(dep);
      if (!from || !to) continue;
      const x1 = from.x + boxW, y1 = from.y + boxH / 2, x2 = to.x, y2 = to.y + boxH / 2, mid = (x1 + x2) / 2;
      graph.append(svg('path', { d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }));
    }
  }
  for (const step of plan.steps) {
    const p = pos.get(step.id);
    if (!p) continue;
    const outcome = outcomes.get(step.id);
    const label = step.id.length > 28 ? step.id.slice(0, 27) + '…' : step.id;
    graph.append(svg('g', { 'data-step': step.id },
      svg('title', { text: `${step.id}\n${step.command}` }),
      svg('rect', { x: p.x, y: p.y, width: boxW, height: boxH, rx: 4, class: outcome === 'failed' ? 'failed' : outcome ? 'done' : '' }),
      svg('text', { x: p.x + 6, y: p.y + 19, text: label })));
  }
  panel.append(graph);
  const source = el('pre', { id: 'plan-mermaid' });
  const details = el('details', {}, el('summary', { text: 'Mermaid source' }), source);
  details.addEventListener('toggle', async () => {
    if (!details.open || source.textContent) return;
    const res = await api(`/api/changes/${encodeURIComponent(record.change_id)}/plan?format=mermaid`);
    source.textContent = res.ok ? res.body : problemText(res);
  });
  panel.append(details);
  return panel;
}

function driftPanel(record) {
  const panel = el('div', { class: 'panel', id: 'drift-panel' }, el('h3', { text: 'Drift' }));
  const body = el('div', { id: 'drift-status', text: 'loading…' });
  panel.append(body);
  api(`/api/changes/${encodeURIComponent(record.change_id)}/drift`).then(res => {
    if (res.status === 404) {
      body.replaceChildren(statusBadge('not_monitored'), ' not monitored');
    } else if (!res.ok) {
      body.textContent = problemText(res);
    } else {
      const d = res.body;
      body.replaceChildren(facts([
        ['status', statusBadge(d.status)], ['mode', d.mode], ['interval', d.interval], ['checked', when(d.checked_at)],
        ['next check', when(d.next_check_at)], ['resources checked', d.resources_checked], ['baseline', d.baseline_hash],
        ['current', d.current_hash], ['remediation', d.remediation_change_id],
      ]));
      if (d.diff && d.diff.length) {
        body.append(el('table', {}, el('thead', {}, el('tr', {}, ['resource', 'field', 'intended', 'actual'].map(h => el('th', { text: h })))),
          el('tbody', {}, d.diff.map(x => el('tr', {}, [x.resource, x.field, x.intended, x.actual].map(v => el('td', { class: 'mono', text: v ?? '' })))))));
      }
    }
  }).catch(err => { body.textContent = String(err); });
  return panel;
}

function evidencePanel(record) {
  const id = record.change_id;
  const message = el('p', { id: 'evidence-message', role: 'status' });
  show(message, 'evidence-message');
  const download = async () => {
    note('evidence-message', 'building the signed pack…');
    const res = await api(`/api/changes/${encodeURIComponent(id)}/evidence`, { blob: true, headers: { Accept: 'application/zip' } });
    if (!res.ok) {
      note('evidence-message', problemText(res), true);
      return;
    }
    const url = URL.createObjectURL(res.blob);
    const link = el('a', { href: url, download: `${id}-evidence.zip` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    note('evidence-message', `downloaded ${id}-evidence.zip (${res.blob.size} bytes)`);
  };
  const verify = async () => {
    note('evidence-message', 'verifying every record…');
    const res = await api(`/api/changes/${encodeURIComponent(id)}/evidence/verify`);
    if (!res.ok) {
      note('evidence-message', problemText(res), true);
      return;
    }
    const v = res.body;
    note('evidence-message', v.ok
      ? `chain verified: ${v.records} record(s), head ${v.chain_head}`
      : `broken at record ${v.first_bad_record}: ${v.problem}`, !v.ok);
  };
  return el('div', { class: 'panel', id: 'evidence-panel' },
    el('h3', { text: 'Evidence' }),
    facts([['records', record.evidence ? record.evidence.records : 0], ['chain head', el('code', { text: (record.evidence && record.evidence.chain_head) || '' })]]),
    el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'evidence-download', onclick: download, text: 'Download pack' }),
      el('button', { type: 'button', id: 'evidence-verify', onclick: verify, text: 'Verify' }),
      el('span', { class: 'muted', text: 'needs the auditor role' })),
    message);
}

function tracePanel(record) {
  return el('div', { class: 'panel', id: 'trace-panel' }, el('h3', { text: 'Audit trace' }),
    el('ul', { class: 'trace' }, (record.audit_trace || []).map(t => el('li', {}, el('span', { class: 'mono', text: `${when(t.ts)} ` }), el('b', { text: `${t.phase} ` }), t.msg))));
}

async function renderChange(id) {
  const view = document.getElementById('change-view');
  if (!apiKey()) {
    state.lastRecordText = null;
    view.replaceChildren(el('p', { text: 'Enter an API key above to read this change.' }));
    return;
  }
  const res = await api(`/api/changes/${encodeURIComponent(id)}`);
  if (!res.ok) {
    state.lastRecordText = null;
    view.replaceChildren(el('p', { class: 'message error', text: problemText(res) }), el('a', { href: '#/', text: '← all changes' }));
    return;
  }
  // Re-render only when the record changed, so a comment being typed is not wiped by polling.
  const text = JSON.stringify(res.body);
  if (text === state.lastRecordText) return;
  state.lastRecordText = text;
  const r = res.body;
  view.replaceChildren(
    el('p', {}, el('a', { href: '#/', text: '← all changes' })),
    el('h2', {}, el('span', { class: 'mono', id: 'change-id', text: r.change_id }), ' ', el('span', { id: 'change-status' }, statusBadge(r.status)), ' ', simulatedBadge(r)),
    facts([['request', r.intent && r.intent.request], ['initiator', r.initiator], ['submitted', when(r.submitted_at)], ['updated', when(r.updated_at)],
      ['phase', r.phase], ['reason', r.reason], ['plan hash', el('code', { text: (r.plan && r.plan.plan_hash) || '' })]]),
    timeline(r),
    el('div', { class: 'grid2' }, waveProgress(r), approvalsPanel(r)),
    planDiffPanel(r),
    planGraph(r),
    el('div', { class: 'grid2' }, driftPanel(r), evidencePanel(r)),
    tracePanel(r));
}

// ---- routing and polling --------------------------------------------------------------------------------------
function route() {
  const match = /^#\/changes\/([^/]+)$/.exec(location.hash);
  const id = match ? decodeURIComponent(match[1]) : null;
  document.getElementById('list-view').hidden = !!id;
  document.getElementById('change-view').hidden = !id;
  if (id !== state.changeId) {
    state.lastRecordText = null;
    state.notes = {};
  }
  state.changeId = id;
  state.view = id ? 'change' : 'list';
  refresh();
}

async function refresh() {
  if (state.busy) return;
  state.busy = true;
  try {
    if (state.view === 'change') await renderChange(state.changeId);
    else await renderList();
  } catch (err) {
    const target = state.view === 'change' ? document.getElementById('change-view') : document.getElementById('list-message');
    target.textContent = `error: ${err}`;
  } finally {
    state.busy = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  setupKeyForm();
  window.addEventListener('hashchange', route);
  route();
  setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
});
