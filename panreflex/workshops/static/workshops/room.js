// The live room (issue #4, #15). No inline script (CSP). Without WebSockets the forms post normally
// and the page shows the current state after the redirect. With a live connection the forms send
// intents over the socket (panreflex/realtime/static/realtime/client.js), and every committed change
// arrives as an event that carries its change: the fragments rendered by the server are swapped in
// by id, small JSON patches change the room's classes. No request per event; the state is fetched
// once after a gap in the sequence numbers or a reconnect that missed events.
// What only this person sees (own cards, own dots, dots left) comes with the acknowledgements.
// Text being typed is kept in localStorage until it is saved, so a reload or reconnect loses nothing.
(function () {
  "use strict";
  const root = document.getElementById("room");
  if (!root || !window.PanReflexRealtime) return;
  const RT = window.PanReflexRealtime;
  const stateUrl = root.dataset.stateUrl;
  const me = root.dataset.me;
  const statusEl = document.getElementById("room-status");
  const alertEl = document.getElementById("room-alert");
  const draftPrefix = "panreflex-room-" + root.dataset.workshop + "-";
  const ownCards = new Set();
  const mine = new Map(); // card id -> [count, html]
  const stateEl = () => document.getElementById("room-state");

  // --- drafts -------------------------------------------------------------------------------------
  function draftKey(el) { return draftPrefix + el.id; }
  function restoreDrafts(scope) {
    (scope || document).querySelectorAll("[data-draft]").forEach((el) => {
      if (!el.closest("#room-state")) return;
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

  // --- what is this person's ---------------------------------------------------------------------
  function personalise(scope) {
    scope.querySelectorAll(".wcard").forEach((card) => {
      const id = card.dataset.card;
      if (card.classList.contains("own")) ownCards.add(id);
      else if (card.dataset.author === me || ownCards.has(id)) card.classList.add("own");
      if (card.dataset.mine !== undefined) mine.set(id, [parseInt(card.dataset.mine, 10), card.querySelector(".dots-mine").textContent]);
      else {
        const m = mine.get(id) || [0, ""];
        card.dataset.mine = String(m[0]);
        card.querySelector(".dots-mine").textContent = m[1];
      }
    });
    scope.querySelectorAll(".timeline-list li[data-author]").forEach((li) => { if (li.dataset.author === me) li.classList.add("own"); });
  }
  function counts() {
    document.querySelectorAll("#room-state .board-column").forEach((col) => {
      const n = col.querySelectorAll(".wcard").length;
      const el = col.querySelector("h3 .count");
      if (el) el.textContent = "(" + n + ")";
    });
  }
  function votingStatus() {
    const st = stateEl();
    const el = document.getElementById("voting-status");
    if (!st || !el) return;
    const total = parseInt(st.dataset.votesPerPerson, 10);
    const used = parseInt(st.dataset.votesUsed, 10);
    let text = st.classList.contains("voting-open")
      ? root.dataset.msgVotingOpen.replace("__L__", String(Math.max(0, total - used))).replace("__T__", String(total))
      : root.dataset.msgVotingClosed;
    text += st.classList.contains("votes-revealed") ? root.dataset.msgRevealed : root.dataset.msgHidden;
    el.textContent = text;
  }

  // --- choices filled when a card's panel opens (the same card HTML goes to everyone) --------------
  function option(value, label, selected) {
    const o = document.createElement("option");
    o.value = value; o.textContent = label; o.selected = !!selected;
    return o;
  }
  function short(text, n) { text = text.trim().replace(/\s+/g, " "); return text.length > n ? text.slice(0, n - 1) + "…" : text; }
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!details.open || !details.matches || !details.matches(".wcard details")) return;
    const card = details.closest(".wcard");
    const move = details.querySelector("select[data-choices=move]");
    if (move) {
      move.textContent = "";
      document.querySelectorAll("#room-state .board-column").forEach((col) => {
        const title = col.querySelector(".column-title").textContent;
        move.appendChild(option(col.dataset.column, title, col.dataset.column === card.dataset.column && !card.dataset.cluster));
        col.querySelectorAll(".cluster").forEach((cl) => {
          const cid = cl.id.replace("cluster-", "");
          move.appendChild(option(col.dataset.column + ":" + cid, title + " › " + cl.querySelector("h4").textContent, cid === card.dataset.cluster));
        });
      });
    }
    const merge = details.querySelector("select[data-choices=merge]");
    if (merge) {
      merge.textContent = "";
      const col = card.closest(".board-column");
      col.querySelectorAll(".wcard").forEach((other) => {
        if (other !== card) merge.appendChild(option(other.dataset.card, short(other.querySelector(".wcard-text").textContent, 50)));
      });
    }
  }, true);

  // --- applying events ----------------------------------------------------------------------------
  function apply(event) {
    const st = stateEl();
    const d = event.data || {};
    if (event.event === "lock.changed") st.classList.toggle("locked", !!d.locked);
    if (event.event === "voting.changed") { st.classList.toggle("voting-open", !!d.open); st.dataset.votesPerPerson = d.votes_per_person; }
    if (event.event === "voting.revealed") st.classList.toggle("votes-revealed", !!d.revealed);
    if (event.html) {
      const touched = RT.swap(event.html);
      touched.forEach((el) => { personalise(el.parentElement || el); restoreDrafts(el); });
    }
    if (event.event === "timer.changed") startTimer();
    st.dataset.seq = String(event.seq);
    counts();
    votingStatus();
  }

  async function fetchState() {
    const response = await fetch(stateUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } });
    if (!response.ok) throw new Error("state " + response.status);
    const html = await response.text();
    const tmp = document.createElement("template");
    tmp.innerHTML = html;
    const fresh = tmp.content.querySelector("#room-state");
    const old = stateEl();
    if (!fresh || !old) throw new Error("no state");
    const kept = Array.from(old.querySelectorAll("details[id][open]")).map((x) => x.id);
    RT.swap(fresh.outerHTML);
    kept.forEach((id) => { const x = document.getElementById(id); if (x) x.open = true; });
    mine.clear();
    personalise(stateEl());
    restoreDrafts();
    counts();
    if (present.size) showPresence(null); // the live list is fresher than the rendered one
    startTimer();
    return parseInt(stateEl().dataset.seq || "0", 10);
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
      if (left <= 0) { el.textContent = root.dataset.msgTimerEnd; window.clearInterval(timerInterval); return; }
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

  // --- sending ------------------------------------------------------------------------------------
  function formData(form) {
    const data = {};
    new FormData(form).forEach((value, key) => {
      if (key === "csrfmiddlewaretoken" || key === "anchor") return;
      if (key === "cards") { (data.cards = data.cards || []).push(value); return; }
      data[key] = value;
    });
    return data;
  }
  const RESET = "[data-intent='card.add'], [data-intent='timeline.add'], [data-intent='root_cause.add'], [data-intent='rating.set'], [data-intent='cluster.create']";

  function acknowledged(form, ack) {
    const d = ack.data || {};
    if (d.card && form.dataset.intent === "card.add") {
      ownCards.add(String(d.card));
      const card = document.getElementById("card-" + d.card);
      if (card) card.classList.add("own");
    }
    if (d.used !== undefined) {
      mine.set(String(d.card), [d.mine, (d.mine_html || "").trim()]);
      const card = document.getElementById("card-" + d.card);
      if (card) { card.dataset.mine = String(d.mine); card.querySelector(".dots-mine").textContent = (d.mine_html || "").trim(); }
      stateEl().dataset.votesUsed = String(d.used);
      votingStatus();
    }
    clearDrafts(form);
    if (form.matches(RESET)) form.reset();
    say(root.dataset.msgSaved, false);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("#room form[data-intent]")) return;
    const sent = room.live ? room.send(form.dataset.intent, formData(form)) : null;
    if (!sent) {
      // degraded mode: a normal POST (fragments that came live have no CSRF token of their own)
      if (!form.querySelector("input[name=csrfmiddlewaretoken]")) {
        const input = document.createElement("input");
        input.type = "hidden"; input.name = "csrfmiddlewaretoken"; input.value = root.dataset.csrf;
        form.appendChild(input);
      }
      return;
    }
    event.preventDefault();
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    sent.then((ack) => acknowledged(form, ack), (err) => {
      if (err.message) say(err.message, true);
      if (err.code === "stale") room.fetchState();
    }).finally(() => { buttons.forEach((b) => { b.disabled = false; }); });
  });

  const room = RT.open({
    path: root.dataset.wsPath,
    seq: parseInt(stateEl().dataset.seq || "0", 10),
    fetchState,
    apply,
    onHello: (hello) => showPresence(hello.presence || []),
    onPresence: (event) => {
      if (event.event === "presence.joined") present.set(event.data.key, event.data.label);
      if (event.event === "presence.left") present.delete(event.data.key);
      showPresence(null);
    },
    onStatus: (live) => {
      statusEl.textContent = live ? root.dataset.msgOnline : root.dataset.msgOffline;
      statusEl.classList.toggle("live", live);
    },
  });

  personalise(stateEl());
  restoreDrafts();
  startTimer();
})();
