// The live room (issue #4). No inline script (CSP). Without WebSockets the forms post normally and
// the page shows the current state after the redirect; with a live connection the forms send
// intents over the socket, and every committed change arrives as an event: the client then loads
// the current state of the room (HTML rendered by the server for this person) and swaps it in.
// Text being typed is kept in localStorage until it is saved, so a reload or reconnect loses nothing.
(function () {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const stateUrl = root.dataset.stateUrl;
  const statusEl = document.getElementById("room-status");
  const alertEl = document.getElementById("room-alert");
  const draftPrefix = "panreflex-room-" + root.dataset.workshop + "-";
  let socket = null;
  let seq = currentSeq();
  let refreshTimer = null;
  let retry = 0;
  let refCounter = 0;
  const pending = new Map();

  function currentSeq() {
    const el = document.getElementById("room-state");
    return el ? parseInt(el.dataset.seq || "0", 10) : 0;
  }

  // --- drafts -------------------------------------------------------------------------------------
  function draftKey(el) { return draftPrefix + el.id; }
  function restoreDrafts() {
    document.querySelectorAll("#room-state [data-draft]").forEach((el) => {
      const saved = window.localStorage.getItem(draftKey(el));
      if (saved !== null && saved !== el.value) {
        el.value = saved;
        const details = el.closest("details");
        if (details) details.open = true;
      }
    });
  }
  function clearDrafts(form) {
    form.querySelectorAll("[data-draft]").forEach((el) => window.localStorage.removeItem(draftKey(el)));
  }
  document.addEventListener("input", (event) => {
    const el = event.target;
    if (el.matches && el.matches("#room-state [data-draft]") && el.id) {
      if (el.value) window.localStorage.setItem(draftKey(el), el.value);
      else window.localStorage.removeItem(draftKey(el));
    }
  });

  // --- messages -----------------------------------------------------------------------------------
  function say(text, isError) {
    alertEl.textContent = "";
    alertEl.className = "room-alert" + (isError ? " message message-error" : " message message-success");
    alertEl.textContent = text;
    if (!isError) window.setTimeout(() => { if (alertEl.textContent === text) { alertEl.textContent = ""; alertEl.className = "room-alert"; } }, 3000);
  }

  // --- state refresh ------------------------------------------------------------------------------
  function scheduleRefresh() {
    if (refreshTimer) return;
    refreshTimer = window.setTimeout(refresh, 80);
  }
  async function refresh() {
    refreshTimer = null;
    let response;
    try {
      response = await fetch(stateUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } });
    } catch (e) { return; }
    if (!response.ok) return;
    const html = await response.text();
    const old = document.getElementById("room-state");
    if (!old) return;
    const openDetails = Array.from(old.querySelectorAll("details[id][open]")).map((d) => d.id);
    // what the user has changed but not sent yet (titles, ticked cards, numbers) survives the swap
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
    const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    const tmp = document.createElement("div");
    tmp.innerHTML = html;
    const fresh = tmp.querySelector("#room-state");
    if (!fresh) return;
    old.replaceWith(fresh);
    openDetails.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
    changed.forEach(([id, prop, value]) => { const el = document.getElementById(id); if (el) el[prop] = value; });
    restoreDrafts();
    if (activeId) {
      const el = document.getElementById(activeId);
      if (el) {
        el.focus();
        if (selection && "setSelectionRange" in el) { try { el.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not a text field */ } }
      }
    }
    seq = currentSeq();
    if (present.size) showPresence(null); // the live list is fresher than the rendered one
    startTimer();
  }

  // --- timer --------------------------------------------------------------------------------------
  let timerInterval = null;
  function startTimer() {
    if (timerInterval) window.clearInterval(timerInterval);
    const el = document.getElementById("timer");
    if (!el || !el.dataset.endsAt) return;
    const end = Date.parse(el.dataset.endsAt);
    const tick = () => {
      const left = Math.round((end - Date.now()) / 1000);
      if (left <= 0) {
        el.textContent = root.dataset.msgTimerEnd;
        window.clearInterval(timerInterval);
        return;
      }
      const m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + String(s).padStart(2, "0");
    };
    tick();
    timerInterval = window.setInterval(tick, 1000);
  }

  // --- presence -----------------------------------------------------------------------------------
  const present = new Map();
  function showPresence(people) {
    if (people) { present.clear(); people.forEach((p) => present.set(p.key, p.label)); }
    const list = document.getElementById("presence");
    if (!list) return;
    list.textContent = "";
    Array.from(present.values()).sort().forEach((label) => {
      const li = document.createElement("li"); li.textContent = label; list.appendChild(li);
    });
  }

  // --- socket -------------------------------------------------------------------------------------
  function connect() {
    if (!("WebSocket" in window)) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket.addEventListener("open", () => {
      retry = 0;
      statusEl.textContent = root.dataset.msgOnline;
      statusEl.classList.add("live");
      refresh(); // after a reconnect: load the current state first, then apply events
    });
    socket.addEventListener("close", () => {
      socket = null;
      statusEl.textContent = root.dataset.msgOffline;
      statusEl.classList.remove("live");
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, 500 * retry);
    });
    socket.addEventListener("message", (msg) => {
      let data;
      try { data = JSON.parse(msg.data); } catch (e) { return; }
      if (data.type === "event") {
        if (data.event === "presence.joined") { present.set(data.data.key, data.data.label); showPresence(null); return; }
        if (data.event === "presence.left") { present.delete(data.data.key); showPresence(null); return; }
        if (data.seq === null || data.seq > seq) scheduleRefresh();
      } else if (data.type === "hello") {
        showPresence(data.presence || []);
      } else if (data.type === "ack" || data.type === "error") {
        const form = pending.get(data.ref);
        pending.delete(data.ref);
        if (data.type === "ack") {
          if (form) { clearDrafts(form); if (form.matches("[data-intent='card.add'], [data-intent='timeline.add'], [data-intent='root_cause.add'], [data-intent='rating.set']")) form.reset(); }
          say(root.dataset.msgSaved, false);
        } else {
          say(data.message, true);
          if (data.code === "stale") scheduleRefresh();
        }
        if (form) form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      }
    });
  }

  function formData(form) {
    const data = {};
    new FormData(form).forEach((value, key) => {
      if (key === "csrfmiddlewaretoken" || key === "anchor") return;
      if (key === "cards") { (data.cards = data.cards || []).push(value); return; }
      data[key] = value;
    });
    return data;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("#room form[data-intent]")) return;
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // degraded mode: normal POST
    event.preventDefault();
    const ref = "r" + (++refCounter);
    pending.set(ref, form);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    socket.send(JSON.stringify({ action: form.dataset.intent, data: formData(form), ref: ref }));
  });

  restoreDrafts();
  startTimer();
  connect();
})();
