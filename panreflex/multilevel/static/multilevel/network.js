/* Actors network: highlight a node's neighbours (hover, focus, click/Enter/Space pins it) and pan/zoom
   (buttons, +/-/arrow keys/0 on the focused graph, mouse wheel, drag). No eval, no inline script (CSP).
   The tables below the graph stay the accessible alternative. */
(function () {
  "use strict";
  function setup(svg) {
    var base = svg.getAttribute("viewBox").split(" ").map(Number);
    var view = base.slice();
    var pinned = null;
    var status = svg.parentNode.querySelector(".nw-status");
    function apply() { svg.setAttribute("viewBox", view.join(" ")); }
    function zoom(f) {
      var cx = view[0] + view[2] / 2, cy = view[1] + view[3] / 2;
      view[2] = Math.min(base[2] * 4, Math.max(base[2] / 8, view[2] / f));
      view[3] = Math.min(base[3] * 4, Math.max(base[3] / 8, view[3] / f));
      view[0] = cx - view[2] / 2; view[1] = cy - view[3] / 2; apply();
    }
    function pan(dx, dy) { view[0] += dx * view[2]; view[1] += dy * view[3]; apply(); }
    function reset() { view = base.slice(); apply(); }
    function highlight(id) {
      var near = {};
      near[id] = true;
      svg.querySelectorAll(".edge").forEach(function (e) {
        var on = id !== null && (e.dataset.from === id || e.dataset.to === id);
        e.classList.toggle("is-near", on);
        if (on) { near[e.dataset.from] = true; near[e.dataset.to] = true; }
      });
      svg.classList.toggle("has-focus", id !== null);
      var names = [];
      svg.querySelectorAll(".node").forEach(function (n) {
        var on = id !== null && near[n.dataset.node] === true;
        n.classList.toggle("is-near", on);
        n.classList.toggle("is-current", n.dataset.node === id);
        if (on && n.dataset.node !== id) { names.push(n.getAttribute("aria-label")); }
      });
      if (status) {
        status.textContent = id === null ? "" : (status.dataset.prefix + " " +
          (names.length ? names.join(", ") : status.dataset.none));
      }
    }
    svg.querySelectorAll(".node").forEach(function (n) {
      var id = n.dataset.node;
      n.addEventListener("mouseenter", function () { if (pinned === null) { highlight(id); } });
      n.addEventListener("mouseleave", function () { if (pinned === null) { highlight(null); } });
      n.addEventListener("focus", function () { if (pinned === null) { highlight(id); } });
      n.addEventListener("blur", function () { if (pinned === null) { highlight(null); } });
      function toggle() {
        svg.querySelectorAll(".node").forEach(function (m) { m.setAttribute("aria-pressed", "false"); });
        pinned = pinned === id ? null : id;
        n.setAttribute("aria-pressed", pinned === id ? "true" : "false");
        highlight(pinned === null ? id : pinned);
      }
      n.addEventListener("click", toggle);
      n.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(); }
        if (ev.key === "Escape") { pinned = null; highlight(null); n.setAttribute("aria-pressed", "false"); }
      });
    });
    var tools = svg.parentNode.querySelector(".nw-tools");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (ev) {
        var b = ev.target.closest("button");
        if (!b) { return; }
        var a = b.dataset.action;
        if (a === "in") { zoom(1.25); } else if (a === "out") { zoom(0.8); } else if (a === "reset") { reset(); }
        else if (a === "left") { pan(-0.1, 0); } else if (a === "right") { pan(0.1, 0); }
        else if (a === "up") { pan(0, -0.1); } else if (a === "down") { pan(0, 0.1); }
      });
    }
    svg.addEventListener("keydown", function (ev) {
      var k = ev.key;
      if (k === "+" || k === "=") { zoom(1.25); } else if (k === "-") { zoom(0.8); } else if (k === "0") { reset(); }
      else if (ev.shiftKey && k === "ArrowLeft") { pan(-0.1, 0); } else if (ev.shiftKey && k === "ArrowRight") { pan(0.1, 0); }
      else if (ev.shiftKey && k === "ArrowUp") { pan(0, -0.1); } else if (ev.shiftKey && k === "ArrowDown") { pan(0, 0.1); }
      else { return; }
      ev.preventDefault();
    });
    svg.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !ev.altKey) { return; } /* plain wheel keeps scrolling the page */
      ev.preventDefault(); zoom(ev.deltaY < 0 ? 1.15 : 0.87);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.target.closest(".node")) { return; }
      drag = { x: ev.clientX, y: ev.clientY, v: view.slice() };
    });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      view[0] = drag.v[0] - (ev.clientX - drag.x) * view[2] / r.width;
      view[1] = drag.v[1] - (ev.clientY - drag.y) * view[3] / r.height; apply();
    });
    window.addEventListener("pointerup", function () { drag = null; });
  }
  document.querySelectorAll("svg.network-svg").forEach(setup);
}());
