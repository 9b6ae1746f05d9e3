// The account's (or one instance's) event stream over the WebSocket. After a drop it reconnects with ?since=<last id>
// so that nothing is missed, and reports offline meanwhile.
export class Live {
  constructor(path, token, onEvent, onStatus) {
    this.path = path;
    this.token = token;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.lastId = 0;
    this.delay = 500;
    this.closed = false;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = this.lastId > 0 ? `&since=${this.lastId}` : '';
    const resumedFrom = this.lastId;
    const ws = new WebSocket(`${scheme}//${location.host}${this.path}?token=${encodeURIComponent(this.token)}${since}`);
    this.ws = ws;
    ws.onopen = () => { this.delay = 500; this.onStatus(true, '', resumedFrom); };
    ws.onmessage = (m) => {
      let frame;
      try { frame = JSON.parse(m.data); } catch { return; }
      if (typeof frame.id === 'number' && frame.id > this.lastId) this.lastId = frame.id;
      this.onEvent(frame);
    };
    ws.onclose = (e) => {
      if (this.closed) return;
      this.onStatus(false, e.reason);
      this.timer = setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }
}
