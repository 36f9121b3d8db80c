// Chronology: a mark in the timeline opens its event (the table below offers the same links without JS).
(() => {
  document.addEventListener("click", (event) => {
    const mark = event.target.closest(".timeline-svg .ev[data-href]");
    if (mark) window.location.href = mark.dataset.href;
  });
})();
