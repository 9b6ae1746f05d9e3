// One instance's chat pane: send a text, and see message.exchange and message.status live from the WebSocket.
import { cell, enc, text } from './api.js';

// receipts only move forward (docs/MESSAGES.md): a late "delivered" never hides a "read"
const RANK = { sent: 1, delivered: 2, read: 3, played: 4 };

export class ChatPane {
  constructor(body, act) {
    this.body = body;
    this.act = act; // (method, path, then, body): the instance view's action, which reports errors literally
  }

  reset(name) {
    this.name = name;
    this.body.replaceChildren();
  }

  send(number, message) {
    return this.act('POST', `/api/message/text/${enc(this.name)}`, (r) => this.row(r.data, 'sent'), { number, message });
  }

  /** A message.exchange frame: incoming, or the echo of an outgoing one (already listed when sent from this page). */
  exchange(frame) {
    const m = frame.data.message || {};
    this.row({ messageId: m.id, direction: m.direction, timestamp: m.timestamp, chat: m.chat, content: contentOf(m) },
      m.direction === 'outgoing' ? 'sent' : 'received');
  }

  /** A message.status frame: raises the status of every message it names that is listed here. */
  status(frame) {
    const d = frame.data;
    for (const id of d.messageIds || []) {
      const tr = this.find(id);
      if (tr && (RANK[d.status] || 0) > (RANK[tr.dataset.status] || 0)) {
        tr.dataset.status = d.status;
        text(tr.cells[4], d.status);
      }
    }
  }

  row(d, status) {
    if (!d || !d.messageId || this.find(d.messageId)) return;
    const tr = document.createElement('tr');
    tr.dataset.id = d.messageId;
    tr.dataset.direction = d.direction;
    tr.dataset.status = status;
    cell(tr, d.timestamp);
    cell(tr, d.direction === 'outgoing' ? '→' : '←');
    cell(tr, d.chat && d.chat.jid);
    cell(tr, typeof d.content === 'string' ? d.content : '');
    cell(tr, status);
    this.body.insertBefore(tr, this.body.firstChild);
  }

  find(id) {
    return [...this.body.rows].find((r) => r.dataset.id === id);
  }
}

function contentOf(m) {
  if (m.content && m.content.text) return m.content.text;
  if (m.reaction) return `reaction ${m.reaction.text || '(removed)'} to ${m.reaction.messageId}`;
  if (m.media) return `[${m.media.type}] ${m.media.caption || m.media.fileName || ''}`;
  return `[${m.type}]`;
}
