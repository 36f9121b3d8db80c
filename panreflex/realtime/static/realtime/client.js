// The browser side of PanReflex's live rooms (panreflex/realtime, docs/realtime.md). No build step,
// no inline script (CSP). A page opens a room with
//   PanReflexRealtime.open({path, seq, fetchState, apply, onHello, onPresence, onStatus})
// and gets {send(action, data) -> Promise of the ack, or rejected with the error message}.
// Events are applied strictly in the order of their sequence numbers: an event that arrives early
// waits for the missing ones (two server processes may deliver out of order); when a gap does not
// close within GAP_MS, or after a reconnect that missed events, the page fetches the state ONCE
// (fetchState resolves to the state's seq), then applies only the events after it.
(function () {
  "use strict";
  const GAP_MS = 1500;

  // Out-of-band swap: every top-level element of `html` with an id replaces the element with that
  // id (keeping open panels, focus and what the person has typed but not sent); `data-into="x"`
  // puts a new element into #x (or moves an existing one there); `data-remove` removes it.
  function swap(html, root) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const touched = [];
    Array.from(tpl.content.children).forEach((el) => {
      const id = el.id;
      if (!id) return;
      const old = document.getElementById(id);
      if (el.hasAttribute("data-remove")) { if (old) old.remove(); return; }
      const into = el.getAttribute("data-into");
      el.removeAttribute("data-into");
      if (old) {
        const keep = saveUi(old);
        old.replaceWith(el);
        restoreUi(el, keep);
        if (into && el.parentElement && el.parentElement.id !== into) {
          const box = document.getElementById(into);
          if (box) box.appendChild(el);
        }
      } else if (into) {
        const box = document.getElementById(into);
        if (!box) return;
        box.appendChild(el);
      } else {
        return; // not on this page (e.g. the facilitators' panel for participants)
      }
      touched.push(el);
    });
    return touched;
  }

  function saveUi(old) {
    const open = Array.from(old.querySelectorAll("details[id][open]")).map((d) => d.id);
    if (old.matches("details[id][open]")) open.push(old.id);
    const changed = [];
    old.querySelectorAll("input[id], textarea[id], select[id]").forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked !== el.defaultChecked) changed.push([el.id, "checked", el.checked]);
      } else if (el.tagName === "SELECT") {
        const opt = el.options[el.selectedIndex];
        if (opt && !opt.defaultSelected) changed.push([el.id, "value", el.value]);
      } else if (el.type !== "hidden" && el.value !== el.defaultValue) {
        changed.push([el.id, "value", el.value]);
      }
    });
    const active = document.activeElement;
    const activeId = active && old.contains(active) ? active.id : null;
    const selection = active && activeId && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    return { open, changed, activeId, selection };
  }

  function restoreUi(el, keep) {
    keep.open.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
    keep.changed.forEach(([id, prop, value]) => { const x = document.getElementById(id); if (x) x[prop] = value; });
    if (keep.activeId) {
      const x = document.getElementById(keep.activeId);
      if (x) {
        x.focus();
        if (keep.selection && "setSelectionRange" in x) { try { x.setSelectionRange(keep.selection[0], keep.selection[1]); } catch (e) { /* not text */ } }
      }
    }
  }

  function open(options) {
    let socket = null;
    let seq = options.seq || 0;
    let retry = 0;
    let refs = 0;
    let fetching = null;
    let gapTimer = null;
    const early = new Map(); // seq -> event that arrived before its predecessors
    let known = 0; // the highest seq this page knows to exist (from an event or an acknowledgement)
    const waiting = new Map(); // ref -> {resolve, reject}

    function applyInOrder() {
      while (early.has(seq + 1)) {
        const event = early.get(seq + 1);
        early.delete(seq + 1);
        seq += 1;
        if (event.refetch) { fetchState(); return; } // the server could not render it
        try { options.apply(event); } catch (e) { console.error(e); fetchState(); return; }
      }
      const behind = () => early.size > 0 || known > seq;
      if (behind() && !gapTimer) gapTimer = window.setTimeout(() => { gapTimer = null; if (behind()) fetchState(); }, GAP_MS);
      if (!behind() && gapTimer) { window.clearTimeout(gapTimer); gapTimer = null; }
    }

    function fetchState() {
      if (fetching) return fetching;
      fetching = (async () => {
        try {
          const s = await options.fetchState();
          if (typeof s === "number") seq = Math.max(s, 0);
        } catch (e) { /* keep the old state; the next event or reconnect tries again */ }
        fetching = null;
        Array.from(early.keys()).forEach((k) => { if (k <= seq) early.delete(k); });
        applyInOrder();
      })();
      return fetching;
    }

    function onEvent(event) {
      if (event.seq === null || event.seq === undefined) { if (options.onPresence) options.onPresence(event); return; }
      if (event.seq <= seq) return; // already in the state
      known = Math.max(known, event.seq);
      early.set(event.seq, event);
      if (!fetching) applyInOrder();
    }

    function connect() {
      if (!("WebSocket" in window)) return;
      const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + options.path);
      socket.addEventListener("open", () => { retry = 0; if (options.onStatus) options.onStatus(true); });
      socket.addEventListener("close", () => {
        socket = null;
        waiting.forEach((w) => w.reject({ code: "offline" }));
        waiting.clear();
        if (options.onStatus) options.onStatus(false);
        retry = Math.min(retry + 1, 6);
        window.setTimeout(connect, 500 * retry);
      });
      socket.addEventListener("message", (msg) => {
        let data;
        try { data = JSON.parse(msg.data); } catch (e) { return; }
        if (data.type === "event") onEvent(data);
        else if (data.type === "hello") {
          if (options.onHello) options.onHello(data);
          if (data.seq !== seq) fetchState(); // missed something while away: the state, once
        } else if (data.type === "ack" || data.type === "error" || data.type === "state") {
          const w = waiting.get(data.ref);
          waiting.delete(data.ref);
          if (w) (data.type === "error" ? w.reject : w.resolve)(data);
          // the event of an own write must arrive too; if it does not (a lagging connection whose
          // events the channel layer dropped), the gap timer fetches the state
          if (data.type === "ack" && typeof data.seq === "number" && data.seq > seq) {
            known = Math.max(known, data.seq);
            if (!fetching) applyInOrder();
          }
        }
      });
    }

    function send(action, data) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return null;
      const ref = "r" + (++refs);
      const promise = new Promise((resolve, reject) => waiting.set(ref, { resolve, reject }));
      socket.send(JSON.stringify({ action, data, ref }));
      return promise;
    }

    connect();
    return { send, fetchState, get seq() { return seq; }, get live() { return !!socket && socket.readyState === WebSocket.OPEN; } };
  }

  window.PanReflexRealtime = { open, swap };
})();
