// Toasts: an htmx answer that carries `HX-Trigger: {"caredesk:toast": {"text", "tone"}}`
// (set by `caredesk.lib.http.toast`) shows its text in the page's polite live region
// (#toast-region), so the action is confirmed without reloading the page. A toast hides
// itself after a few seconds (longer for errors), stays while pointed at or focused, and can
// be dismissed with its close button.
(function () {
  "use strict";
  var TONES = { success: 1, info: 1, warning: 1, error: 1 };
  var SHOWN_MS = 5000;
  var ERROR_MS = 10000;

  function region() {
    return document.getElementById("toast-region") || window.caredeskAppend(
      "div", "toast-region", "toast-region", { role: "status", "aria-live": "polite" }
    );
  }

  function show(text, tone) {
    if (!text) return;
    tone = TONES[tone] ? tone : "info";
    // The same message again (a button pressed twice) replaces the one showing.
    Array.prototype.forEach.call(region().querySelectorAll(".toast-" + tone), function (old) {
      if (old.querySelector(".toast-text").textContent === text) old.parentNode.removeChild(old);
    });
    var item = document.createElement("div");
    item.className = "toast toast-" + tone;
    var message = document.createElement("span");
    message.className = "toast-text";
    message.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    item.appendChild(message);
    item.appendChild(close);
    region().appendChild(item);

    var timer = null;
    function hide() { if (item.parentNode) item.parentNode.removeChild(item); }
    function arm() { timer = window.setTimeout(hide, tone === "error" ? ERROR_MS : SHOWN_MS); }
    function hold() { if (timer) window.clearTimeout(timer); timer = null; }
    close.addEventListener("click", hide);
    item.addEventListener("mouseenter", hold);
    item.addEventListener("mouseleave", arm);
    item.addEventListener("focusin", hold);
    item.addEventListener("focusout", arm);
    arm();
  }

  document.addEventListener("caredesk:toast", function (ev) {
    var detail = ev.detail || {};
    show(detail.text, detail.tone);
  });
  window.caredeskToast = show;
})();
