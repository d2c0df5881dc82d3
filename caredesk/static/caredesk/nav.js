// The menu button (phone width): shows and hides the main navigation.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest(".menu-toggle");
    if (!btn) return;
    var nav = document.getElementById(btn.getAttribute("aria-controls"));
    if (!nav) return;
    var open = nav.classList.toggle("open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { var first = nav.querySelector("a"); if (first) first.focus(); }
  });
})();
