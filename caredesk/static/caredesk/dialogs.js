// Confirmation dialogs on every page: a button with data-open-dialog="<id>" opens that
// <dialog> (focus goes to its first field or button); data-close-dialog closes the dialog it
// is in; Esc closes natively. One dialog can serve many buttons (a grid's rows): each
// data-fill-<name>="<text>" of the button that opens it goes into the dialog's
// [data-slot="<name>"] (text), [data-slot-value="<name>"] (a field's value) and
// [data-slot-action="<name>"] (a form's action). A form with data-confirm="<text>" and
// data-confirm-when="<field>=<value>" asks first, in a dialog naming what will happen, when
// that field holds that value (a "preview" submit never asks).
(function () {
  "use strict";
  function fill(dialog, opener) {
    Array.prototype.forEach.call(opener.attributes, function (attr) {
      if (attr.name.indexOf("data-fill-") !== 0) return;
      var name = attr.name.slice("data-fill-".length);
      dialog.querySelectorAll('[data-slot="' + name + '"]').forEach(function (el) {
        el.textContent = attr.value;
      });
      dialog.querySelectorAll('[data-slot-value="' + name + '"]').forEach(function (el) {
        el.value = attr.value;
      });
      dialog.querySelectorAll('[data-slot-action="' + name + '"]').forEach(function (el) {
        el.setAttribute("action", attr.value);
      });
    });
  }
  function openDialog(dialog) {
    dialog.showModal();
    var first = dialog.querySelector("input:not([type=hidden]), select, textarea, button");
    if (first) first.focus();
  }
  document.addEventListener("click", function (ev) {
    var opener = ev.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog) { ev.preventDefault(); fill(dialog, opener); openDialog(dialog); }
      return;
    }
    var closer = ev.target.closest("[data-close-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) open.close();
    }
  });

  var confirmed = false;
  function askFirst(form, text) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) {
      dialog = window.caredeskAppend(
        "dialog", "confirm-dialog", "modal", { "aria-labelledby": "confirm-dialog-text" }
      );
      var p = document.createElement("p");
      p.id = "confirm-dialog-text";
      var bar = document.createElement("div");
      bar.className = "dialog-actions";
      var yes = document.createElement("button");
      yes.type = "button"; yes.className = "btn danger"; yes.textContent = "Yes, go ahead";
      yes.id = "confirm-dialog-yes";
      var no = document.createElement("button");
      no.type = "button"; no.className = "btn"; no.textContent = "No, go back";
      no.setAttribute("data-close-dialog", "");
      bar.appendChild(yes); bar.appendChild(no);
      dialog.appendChild(p); dialog.appendChild(bar);
    }
    dialog.querySelector("#confirm-dialog-text").textContent = text;
    dialog.querySelector("#confirm-dialog-yes").onclick = function () {
      dialog.close(); confirmed = true; form.submit();
    };
    openDialog(dialog);
  }
  document.addEventListener("submit", function (ev) {
    if (confirmed) { confirmed = false; return; }
    var form = ev.target;
    var text = form.getAttribute("data-confirm");
    if (!text) return;
    if (ev.submitter && ev.submitter.value === "preview") return;
    var when = (form.getAttribute("data-confirm-when") || "").split("=");
    var field = when[0] ? form.elements[when[0]] : null;
    if (field && field.value !== when[1]) return;
    ev.preventDefault();
    if (ev.submitter && ev.submitter.name) {
      var carry = document.createElement("input");
      carry.type = "hidden"; carry.name = ev.submitter.name; carry.value = ev.submitter.value;
      form.appendChild(carry);
    }
    askFirst(form, text);
  });
})();
