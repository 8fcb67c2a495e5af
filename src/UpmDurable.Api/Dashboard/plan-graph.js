// The plan graph panel: the plan's steps drawn as SVG, one column per wave, an arrow per dependency, each box
// coloured by its step's outcome; the Mermaid source is fetched when its details are opened.
import { api, problemText } from './api.js';
import { el, svg } from './dom.js';

const boxW = 190, boxH = 30, colW = 240, rowH = 46, top = 26;

function graph(record, outcomes) {
  const plan = record.plan;
  const pos = new Map();
  plan.waves.forEach((wave, w) => wave.forEach((id, r) => pos.set(id, { x: 10 + w * colW, y: top + r * rowH })));
  const rows = Math.max(1, ...plan.waves.map(w => w.length));
  const width = 20 + plan.waves.length * colW, height = top + rows * rowH + 10;
  const root = svg('svg', { class: 'plan-graph', id: 'plan-graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'plan dependency graph' });
  root.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))));
  plan.waves.forEach((_, w) => root.append(svg('text', { class: 'wave', x: 10 + w * colW, y: 14, text: `wave ${w + 1}` })));
  for (const step of plan.steps) {
    const to = pos.get(step.id);
    for (const dep of step.depends_on || []) {
      const from = pos.get(dep);
      if (!from || !to) continue;
      const x1 = from.x + boxW, y1 = from.y + boxH / 2, x2 = to.x, y2 = to.y + boxH / 2, mid = (x1 + x2) / 2;
      root.append(svg('path', { d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }));
    }
  }
  for (const step of plan.steps) {
    const p = pos.get(step.id);
    if (!p) continue;
    const outcome = outcomes.get(step.id);
    const label = step.id.length > 28 ? step.id.slice(0, 27) + '…' : step.id;
    root.append(svg('g', { 'data-step': step.id },
      svg('title', { text: `${step.id}\n${step.command}` }),
      svg('rect', { x: p.x, y: p.y, width: boxW, height: boxH, rx: 4, class: outcome === 'failed' ? 'failed' : outcome ? 'done' : '' }),
      svg('text', { x: p.x + 6, y: p.y + 19, text: label })));
  }
  return root;
}

function mermaidSource(record) {
  const source = el('pre', { id: 'plan-mermaid' });
  const details = el('details', {}, el('summary', { text: 'Mermaid source' }), source);
  details.addEventListener('toggle', async () => {
    if (!details.open || source.textContent) return;
    const res = await api(`/api/changes/${encodeURIComponent(record.change_id)}/plan?format=mermaid`);
    source.textContent = res.ok ? res.body : problemText(res);
  });
  return details;
}

export function planGraph(record) {
  const panel = el('div', { class: 'panel', id: 'plan-panel' }, el('h3', { text: 'Plan graph' }));
  if (!record.plan) return (panel.append(el('p', { text: 'No plan yet.' })), panel);
  const outcomes = new Map(((record.execution && record.execution.steps) || []).map(s => [s.step_id, s.outcome]));
  panel.append(graph(record, outcomes), mermaidSource(record));
  return panel;
}
