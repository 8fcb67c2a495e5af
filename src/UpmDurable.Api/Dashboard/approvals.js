// The approvals panel: outcome, decisions and refusals, and Approve / Reject for a change awaiting approval. A
// decision names the plan hash the page shows, so it cannot approve a plan the approver has not seen.
import { api, problemText } from './api.js';
import { el, facts } from './dom.js';
import { statusBadge, when } from './format.js';
import { note, show } from './notes.js';

// onDecided: called shortly after a decision was accepted (the page re-reads the change).
export function approvalsPanel(record, onDecided) {
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
        setTimeout(onDecided, 300);
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
