// The case matrix's cells (law): an edit refused with 422 comes back as the cell's entries with
// the errors named at their fields. htmx leaves 4xx answers unswapped, so swap these in place.
document.addEventListener("htmx:beforeSwap", function (event) {
  var elt = event.detail.elt;
  if (event.detail.xhr.status === 422 && elt && elt.closest && elt.closest(".law-cell-entries")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
