// Small site-wide behaviour; no inline scripts (CSP). Per-page scripts live next to it.
document.addEventListener("DOMContentLoaded", () => {
  // Selects marked data-autosubmit submit their form on change (the button stays for no-JS use).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
  // Confirmation before destructive actions: <form data-confirm="Really delete?">
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Move focus to the error summary of a form that came back with errors.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
// HTMX: send the CSRF token with every request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
