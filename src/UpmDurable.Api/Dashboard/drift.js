// The drift panel: the change's latest drift report (GET /api/changes/{id}/drift), read after the panel is shown;
// 404 means the change is not monitored.
import { api, problemText } from './api.js';
import { el, facts } from './dom.js';
import { statusBadge, when } from './format.js';

function driftTable(diff) {
  return el('table', {}, el('thead', {}, el('tr', {}, ['resource', 'field', 'intended', 'actual'].map(h => el('th', { text: h })))),
    el('tbody', {}, diff.map(x => el('tr', {}, [x.resource, x.field, x.intended, x.actual].map(v => el('td', { class: 'mono', text: v ?? '' }))))));
}

export function driftPanel(record) {
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
      if (d.diff && d.diff.length) body.append(driftTable(d.diff));
    }
  }).catch(err => { body.textContent = String(err); });
  return panel;
}
