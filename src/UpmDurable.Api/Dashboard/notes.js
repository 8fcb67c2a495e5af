// The last outcome of an action per panel (approval, evidence), kept across re-renders: polling replaces the panels.

let notes = {};

// Records the outcome under the id of its message element, and shows it there if the element is on the page.
export function note(key, text, error) {
  notes[key] = { text, error: !!error };
  const node = document.getElementById(key);
  if (node) show(node, key);
}

// Writes the kept outcome (or nothing) into a freshly built message element.
export function show(node, key) {
  const n = notes[key];
  node.textContent = n ? n.text : '';
  node.className = n && n.error ? 'message error' : 'message';
}

// Another change opened: its outcomes start empty.
export function clearNotes() { notes = {}; }
