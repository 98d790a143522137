// Pickers (docs/violations-ui.md, "Pickers"): after an inline "record a new …" panel answers
// with the new record, write its value into the picker it was opened from. Enter inside a
// panel records the panel's record instead of submitting the whole form.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("[data-fill]").forEach(function (note) {
      var input = note.dataset.fill ? document.getElementById(note.dataset.fill) : null;
      if (!input) return;
      input.value = note.dataset.value || "";
      input.removeAttribute("aria-invalid");
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest) return;
    var panel = event.target.closest(".inline-panel");
    if (!panel || event.target.tagName === "TEXTAREA") return;
    var button = panel.querySelector("button[hx-post]");
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
