// "Copy tracking link" on the order page: clipboard when available, else a prompt to copy.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-copy]");
    if (!btn) return;
    var url = btn.getAttribute("data-copy");
    function done() { btn.textContent = "Tracking link copied"; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy the tracking link:", url); });
    } else {
      window.prompt("Copy the tracking link:", url);
    }
  });
})();
