// The order page: "Copy tracking link"; the amend form shows only the fields of the chosen
// change; the status form shows the cancel fields only when cancelling. Without JavaScript
// every field stays visible and the services still check everything.
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

  var AMEND_FIELDS = {
    set_quantity: ["line", "quantity"],
    swap_sku: ["line", "sku"],
    add_line: ["sku", "quantity"],
    remove_line: ["line"],
    set_dates: ["requested_delivery_on", "scheduled_delivery_on"]
  };
  function amendFields(form) {
    var op = form.querySelector("select[name=op]");
    if (!op) return;
    var wanted = AMEND_FIELDS[op.value] || [];
    form.querySelectorAll("[data-amend-field]").forEach(function (label) {
      var name = label.getAttribute("data-amend-field");
      var always = name === "op" || name === "reason";
      label.hidden = !(always || wanted.indexOf(name) >= 0);
    });
  }
  function cancelFields(form) {
    var to = form.querySelector("select[name=to]");
    if (!to) return;
    var cancelling = to.value === "cancelled";
    form.querySelectorAll("[data-cancel-field]").forEach(function (label) {
      var name = label.getAttribute("data-cancel-field");
      label.hidden = !cancelling && name !== "reason";
    });
  }
  function setUp() {
    document.querySelectorAll("[data-amend-form]").forEach(amendFields);
    document.querySelectorAll("[data-move-form]").forEach(cancelFields);
  }
  document.addEventListener("change", function (ev) {
    var amend = ev.target.closest("[data-amend-form]");
    if (amend && ev.target.name === "op") amendFields(amend);
    var move = ev.target.closest("[data-move-form]");
    if (move && ev.target.name === "to") cancelFields(move);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
