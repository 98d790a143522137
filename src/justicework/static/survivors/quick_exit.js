// Quick exit on the survivors pages: the button, or Escape pressed twice within a second,
// replaces this page with a neutral site. location.replace() swaps the current history entry,
// so "back" does not return here; the page is marked no-store, so it is not kept in the cache.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  var target = link.getAttribute("href");
  var leave = function (event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.visibility = "hidden";
    try {
      window.history.replaceState(null, "", "/");
    } catch (ignored) {
      // a browser that refuses still leaves by replace() below
    }
    window.location.replace(target);
  };
  link.addEventListener("click", leave);
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - last < 1000) {
      leave(event);
    }
    last = now;
  });
})();
