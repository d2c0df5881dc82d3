// Customer pages: buttons with data-open-dialog="<id>" open that <dialog>; data-close-dialog
// closes the one it is in. Esc closes dialogs natively.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var opener = ev.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog) {
        dialog.showModal();
        var first = dialog.querySelector("input, button");
        if (first) first.focus();
      }
      return;
    }
    var closer = ev.target.closest("[data-close-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) open.close();
    }
  });
})();
