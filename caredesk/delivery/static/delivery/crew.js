// The crew's phone: every event form sends the time it was tapped on the device (`at`), so
// an event sent late over a bad connection keeps its real time. The form's Idempotency-Key
// was made with the page, so a resubmission never records twice.
(function () {
  "use strict";
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.hasAttribute || !form.hasAttribute("data-device-time")) return;
    var at = form.querySelector("input[name=at]");
    if (at && !at.value) at.value = new Date().toISOString();
    var button = form.querySelector("button[type=submit]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();
