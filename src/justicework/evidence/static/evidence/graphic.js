// Graphic media (docs/evidence.md, "Graphic media"): a blurred picture is revealed when the
// reader presses its "Show" button, for this view only. Nothing is stored: the next page load
// shows it blurred again.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest(".graphic-show");
  if (!button) return;
  var figure = button.closest(".graphic-media");
  if (!figure) return;
  figure.classList.remove("is-blurred");
  figure.classList.add("is-shown");
  button.remove();
});
