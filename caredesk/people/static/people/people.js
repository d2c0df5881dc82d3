// Destructive actions ask first: a form with data-confirm="Question?" submits only when the
// person confirms (SPEC §10).
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
  }, true);
})();
