// The plan diff panel: the pre-flight dry run as Terraform prints a plan — + create, ~ update, - delete with
// field: before -> after, and the count line — plus the adoptions and what rollback cannot restore.
import { el } from './dom.js';

const PLAN_SIGNS = { create: '+', update: '~', delete: '-', unchanged: ' ' };

export function planDiffPanel(record) {
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
