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

  // Every data table sits in its own horizontal scroll container, so a wide grid never
  // scrolls the page sideways; a container that scrolls can be reached with the keyboard.
  function label(table) {
    var caption = table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = table.closest("section, .card");
    var heading = section && section.querySelector("h2, h1");
    return heading ? heading.textContent.trim() : "Table";
  }
  function contain(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("grid-scroll")) {
        box = document.createElement("div");
        box.className = "grid-scroll";
        table.parentElement.insertBefore(box, table);
        box.appendChild(table);
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label(table) + " (scrolls sideways)");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { contain(); });
  } else {
    contain();
  }
  document.addEventListener("htmx:afterSettle", function () { contain(); });
  window.addEventListener("resize", function () { contain(); });
  // Fonts and images can widen a table after the document is parsed: look again once loaded.
  window.addEventListener("load", function () { contain(); });
})();
