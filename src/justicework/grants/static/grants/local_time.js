// Shows each call date also in the reader's own time zone (the browser's), next to the
// call's zone printed by the server. Elements: <span class="grants-local" data-datetime="ISO">.
(function () {
  "use strict";
  function show() {
    var lang = document.documentElement.lang || undefined;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll(".grants-local[data-datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("data-datetime"));
      if (isNaN(when.getTime())) { return; }
      var text = new Intl.DateTimeFormat(lang, {
        dateStyle: "medium", timeStyle: "short", timeZone: zone
      }).format(when);
      el.textContent = text + " (" + zone + ")";
      el.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
