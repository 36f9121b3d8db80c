/* Autosave of every answer while respondents fill in the questionnaire (no-JS: the page form posts).
   Each question is saved on change (text after a short pause); the server answers which questions
   are shown now (skip logic), so dependent questions appear or disappear at once. */
(function () {
  "use strict";
  var form = document.querySelector("form.respond-form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timers = new WeakMap();

  function statusOf(question) { return question.querySelector("[data-status]"); }

  function save(question) {
    var data = new FormData();
    data.append("item", question.getAttribute("data-item"));
    data.append("instance", question.getAttribute("data-instance"));
    question.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.type === "file") { if (el.files.length) { data.append(el.name, el.files[0]); } return; }
      data.append(el.name, el.value);
    });
    var status = statusOf(question);
    if (status) { status.textContent = status.getAttribute("data-saving") || "…"; }
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" }
    }).then(function (resp) { return resp.json().then(function (json) { return [resp.ok, json]; }); })
      .then(function (pair) {
        var ok = pair[0], json = pair[1];
        question.classList.toggle("field-error", !ok);
        if (status) { status.textContent = ok ? json.message : json.error; status.classList.toggle("error-text", !ok); }
        if (ok && json.visible) {
          Object.keys(json.visible).forEach(function (id) {
            document.querySelectorAll('[data-item-id="' + id + '"]').forEach(function (el) { el.hidden = !json.visible[id]; });
          });
        }
        if (ok && json.choices) {  // cascading selects: the options a choice filter lets through now
          Object.keys(json.choices).forEach(function (id) {
            var allowed = json.choices[id];
            document.querySelectorAll('[data-item-id="' + id + '"] [data-choice]').forEach(function (opt) {
              var show = allowed.indexOf(parseInt(opt.getAttribute("data-choice"), 10)) >= 0;
              opt.hidden = !show;
              opt.querySelectorAll("input").forEach(function (input) {
                input.disabled = !show;
                if (!show) { input.checked = false; }
              });
            });
          });
        }
      })
      .catch(function () { if (status) { status.textContent = ""; } });
  }

  function onChange(event) {
    var question = event.target.closest("[data-question]");
    if (!question) { return; }
    var delay = (event.type === "input") ? 700 : 0;
    clearTimeout(timers.get(question));
    timers.set(question, setTimeout(function () { save(question); }, delay));
  }
  form.addEventListener("change", onChange);
  form.addEventListener("input", function (event) {
    if (event.target.matches("input[type=text], textarea")) { onChange(event); }
  });
  form.setAttribute("data-autosave-ready", "1");
})();
