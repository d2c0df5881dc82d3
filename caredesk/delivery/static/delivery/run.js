// Run page: drag a stop by its handle to reorder (SortableJS); the new order is saved at the
// version the page was drawn with (a stale page is refused and says so). The Move up / Move
// down buttons do the same without a mouse.
(function () {
  "use strict";
  function init() {
    var list = document.getElementById("stops");
    var form = document.getElementById("sequence-form");
    if (!list || !form || !list.dataset.sortable || typeof Sortable === "undefined") return;
    Sortable.create(list, {
      handle: ".dl-handle",
      draggable: ".dl-stop",
      animation: 120,
      forceFallback: true, // pointer events: the same on touch screens and mice
      onEnd: function (evt) {
        if (evt.oldIndex === evt.newIndex) return;
        var ids = Array.prototype.map.call(list.querySelectorAll(".dl-stop"), function (li) {
          return li.dataset.id;
        });
        form.querySelector("input[name=stops]").value = ids.join(",");
        form.submit();
      },
    });
  }
  document.addEventListener("submit", function (evt) {
    var message = evt.target.dataset && evt.target.dataset.confirm;
    if (message && !window.confirm(message)) evt.preventDefault();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
