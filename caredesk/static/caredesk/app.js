// Caredesk keyboard shortcuts (SPEC §10): / focus search, S customer search, N new order,
// Esc close a dialog, ? shortcut help. Ignored while typing in a field.
(function () {
  "use strict";
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }
  function urls() {
    var node = document.getElementById("shortcut-urls");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  function focusSearch() {
    var box = document.getElementById("page-search") || document.getElementById("global-search");
    if (box) { box.focus(); box.select(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") {
      var open = document.querySelector("dialog[open]");
      if (open) { open.close(); ev.preventDefault(); return; }
      var results = document.getElementById("global-search-results");
      if (results && results.innerHTML) { results.innerHTML = ""; }
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    var u = urls();
    if (ev.key === "/") {
      if (focusSearch()) ev.preventDefault();
    } else if (ev.key === "s" || ev.key === "S") {
      if (u.search) {
        ev.preventDefault();
        if (window.location.pathname === u.search) { focusSearch(); } else { window.location.href = u.search; }
      }
    } else if (ev.key === "n" || ev.key === "N") {
      if (u.new_order) { ev.preventDefault(); window.location.href = u.new_order; }
    } else if (ev.key === "?") {
      var help = document.getElementById("shortcut-help");
      if (help) { ev.preventDefault(); help.showModal(); }
    }
  });
  // Instant-result lists: arrow keys move between results.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var list = ev.target.closest(".topsearch, .instant-host");
    if (!list) return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".instant-results a"));
    if (!links.length) return;
    var i = links.indexOf(document.activeElement);
    i = ev.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, -1);
    ev.preventDefault();
    if (i < 0) { var input = list.querySelector("input"); if (input) input.focus(); } else { links[i].focus(); }
  });
})();

// A select marked data-autosubmit submits its form when changed (no inline handlers: CSP).
document.addEventListener("change", function (event) {
  var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
  if (field && field.form) { field.form.requestSubmit(); }
});

// A page-wide element (a live region, a shared dialog) made once and appended to the body: its
// tag, id, class and attributes. The toasts and the confirmation dialog make theirs with it.
window.caredeskAppend = function (tag, id, className, attributes) {
  var node = document.createElement(tag);
  node.id = id;
  node.className = className;
  Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
  document.body.appendChild(node);
  return node;
};
