// The instances table. Rows are kept per name and updated in place; live updates are queued and applied once per
// animation frame, so a burst of events over 1,000 rows costs one layout, never a full re-render.
import { cell, text } from './api.js';

const STATES = ['connected', 'connecting', 'disconnected', 'loggedout'];

export class InstanceTable {
  constructor(tbody, countsEl, onOpen) {
    this.tbody = tbody;
    this.countsEl = countsEl;
    this.onOpen = onOpen;
    this.rows = new Map();
    this.pending = new Map();
    this.filter = '';
    this.search = '';
  }

  load(instances) {
    this.rows.clear();
    const frag = document.createDocumentFragment();
    for (const i of instances) frag.appendChild(this.row(i).tr);
    this.tbody.replaceChildren(frag);
    this.counts();
  }

  row(i) {
    const tr = document.createElement('tr');
    tr.dataset.name = i.name;
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'name';
    text(a, i.name);
    a.addEventListener('click', (e) => { e.preventDefault(); this.onOpen(i.name); });
    tr.insertCell().appendChild(a);
    const r = { tr, data: {}, state: cell(tr, ''), number: cell(tr, ''), since: cell(tr, ''), error: cell(tr, '') };
    this.rows.set(i.name, r);
    this.fill(r, i);
    return r;
  }

  fill(r, i) {
    Object.assign(r.data, i);
    text(r.state, r.data.state);
    r.state.className = 'state ' + (r.data.state || '');
    r.tr.dataset.state = r.data.state || '';
    // when the event behind this row was stored, so that the delay to the screen can be measured (docs/CONSOLE.md)
    if (r.data.eventAt) r.tr.dataset.eventAt = r.data.eventAt;
    text(r.number, r.data.number);
    text(r.since, r.data.since);
    text(r.error, r.data.lastError);
    this.applyFilter(r);
  }

  /** Queues a change of one instance (from the WebSocket); applied at the next frame. */
  update(name, change) {
    this.pending.set(name, Object.assign(this.pending.get(name) || {}, change));
    if (!this.scheduled) {
      this.scheduled = true;
      // the next frame; the timer covers a tab in the background, where frames stop
      requestAnimationFrame(() => this.flush());
      setTimeout(() => this.flush(), 100);
    }
  }

  flush() {
    if (!this.scheduled) return;
    this.scheduled = false;
    const added = document.createDocumentFragment();
    for (const [name, change] of this.pending) {
      const r = this.rows.get(name);
      if (r) this.fill(r, change);
      else added.appendChild(this.row({ name, ...change }).tr);
    }
    this.pending.clear();
    this.tbody.appendChild(added);
    this.counts();
  }

  remove(name) {
    const r = this.rows.get(name);
    if (r) { r.tr.remove(); this.rows.delete(name); this.counts(); }
  }

  setFilter(state, search) {
    this.filter = state;
    this.search = search.trim().toLowerCase();
    for (const r of this.rows.values()) this.applyFilter(r);
  }

  applyFilter(r) {
    const d = r.data;
    const match = (!this.filter || d.state === this.filter)
      && (!this.search || d.name.toLowerCase().includes(this.search) || (d.number || '').includes(this.search));
    r.tr.hidden = !match;
  }

  counts() {
    const n = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const r of this.rows.values()) if (r.data.state in n) n[r.data.state]++;
    text(this.countsEl, `${this.rows.size} instances: ` + STATES.map((s) => `${n[s]} ${s}`).join(', '));
  }
}
