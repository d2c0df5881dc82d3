// Email editing: a formatted-text editor (Squire, vendored) for the compose form's HTML
// message, and the "Insert variable" picker on compose and template pages.
//
// Editor: a [data-rich-editor] block names the textarea it writes (data-for) and carries the
// allow-list of `caredesk.comms.sanitize` (data-allow), so the editor keeps only what the
// server keeps; the server cleans again before anything is stored or sent. The textarea stays
// the submitted field: the editor writes its HTML there on every change. With "Plain text"
// chosen the textarea is shown and the editor hidden; switching carries the words across.
//
// Picker: a button with data-insert-tag inserts that tag where the cursor was last: in the
// editor, or in the last text field of the form that had focus.
(function () {
  "use strict";

  function parseAllow(block) {
    try { return JSON.parse(block.getAttribute("data-allow")); } catch (e) { return null; }
  }

  // Keep only allow-listed elements and attributes; the text of anything else stays.
  function cleaner(allow) {
    var tags = {};
    allow.tags.forEach(function (t) { tags[t.toUpperCase()] = true; });
    function safeHref(value) {
      var v = (value || "").trim().toLowerCase();
      return allow.schemes.some(function (s) { return v.indexOf(s) === 0; }) || /^\{\{[^{}]+\}\}$/.test(v);
    }
    function copy(node, into) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          into.appendChild(document.createTextNode(child.data));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.tagName === "SCRIPT" || child.tagName === "STYLE") return;
          if (tags[child.tagName]) {
            var kept = document.createElement(child.tagName);
            var names = allow.attributes[child.tagName.toLowerCase()] || [];
            names.forEach(function (name) {
              var value = child.getAttribute(name);
              if (value === null) return;
              if (name === "href" && !safeHref(value)) return;
              kept.setAttribute(name, value);
            });
            copy(child, kept);
            into.appendChild(kept);
          } else {
            copy(child, into);
          }
        }
      });
      return into;
    }
    return function (html) {
      var inert = document.createElement("template"); // parsed without running or loading anything
      inert.innerHTML = html;
      return copy(inert.content, document.createDocumentFragment());
    };
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function textToHtml(text) {
    return (text || "").replace(/\r\n?/g, "\n").split(/\n{2,}/).map(function (para) {
      return "<p>" + escapeText(para).replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function htmlToText(root) {
    var parts = [];
    Array.prototype.forEach.call(root.children, function (block) {
      if (block.tagName === "UL" || block.tagName === "OL") {
        Array.prototype.forEach.call(block.children, function (li, i) {
          parts.push((block.tagName === "OL" ? (i + 1) + ". " : "- ") + li.innerText.trim());
        });
        parts.push("");
      } else {
        parts.push(block.innerText.replace(/\n$/, ""));
        parts.push("");
      }
    });
    return parts.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  }

  function initEditor(block) {
    if (typeof Squire === "undefined") return null;
    var allow = parseAllow(block);
    var textarea = document.getElementById(block.getAttribute("data-for"));
    var area = block.querySelector(".rte-area");
    if (!allow || !textarea || !area) return null;
    var editor = new Squire(area, { blockTag: "P", sanitizeToDOMFragment: cleaner(allow) });
    var form = textarea.form;
    var formatField = form ? form.elements.body_format : null;

    // Only while "Formatted" is chosen: Squire reports its own housekeeping as input too.
    function sync() { if (!block.hidden) textarea.value = editor.getHTML(); }
    function mode() {
      var html = formatField && formatField.value === "html";
      block.hidden = !html;
      textarea.hidden = html;
      return html;
    }
    if (mode()) editor.setHTML(textarea.value);
    editor.addEventListener("input", sync);

    if (formatField) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=body_format]"), function (radio) {
        radio.addEventListener("change", function () {
          if (mode()) { editor.setHTML(textToHtml(textarea.value)); sync(); }
          else { textarea.value = htmlToText(area); }
        });
      });
    }

    var buttons = block.querySelectorAll("[data-command]");
    function pressed() {
      Array.prototype.forEach.call(buttons, function (b) {
        var fmt = b.getAttribute("data-format");
        if (fmt) b.setAttribute("aria-pressed", editor.hasFormat(fmt) ? "true" : "false");
      });
    }
    editor.addEventListener("pathChange", pressed);
    block.addEventListener("click", function (ev) {
      var button = ev.target.closest("[data-command]");
      if (!button) return;
      var command = button.getAttribute("data-command");
      if (command === "bold") editor.hasFormat("B") || editor.hasFormat("STRONG") ? editor.removeBold() : editor.bold();
      else if (command === "italic") editor.hasFormat("I") || editor.hasFormat("EM") ? editor.removeItalic() : editor.italic();
      else if (command === "bullets") editor.hasFormat("UL") ? editor.removeList() : editor.makeUnorderedList();
      else if (command === "numbers") editor.hasFormat("OL") ? editor.removeList() : editor.makeOrderedList();
      else if (command === "unlink") editor.removeLink();
      else if (command === "link") {
        var url = window.prompt("Link address (https://…, http://… or mailto:…)", "https://");
        if (url === null) { editor.focus(); return; }
        url = url.trim();
        var ok = allow.schemes.some(function (s) { return url.toLowerCase().indexOf(s) === 0 && url.length > s.length; });
        if (!ok) {
          if (window.caredeskToast) window.caredeskToast("A link must start with https://, http:// or mailto:.", "error");
          editor.focus();
          return;
        }
        editor.makeLink(url);
      }
      sync();
      pressed();
    });
    if (form) {
      form.addEventListener("submit", function () { if (!block.hidden) sync(); });
      // The preview (htmx) sends what the editor holds right now.
      document.body.addEventListener("htmx:configRequest", function (ev) {
        if (block.hidden || !ev.detail.parameters || !form.contains(ev.detail.elt)) return;
        sync();
        ev.detail.parameters[textarea.name] = textarea.value;
      });
    }
    return { editor: editor, block: block, form: form };
  }

  function init() {
    var editors = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-rich-editor]"), function (block) {
      var made = initEditor(block);
      if (made) editors.push(made);
    });

    // Where the picker inserts: the editor or text field that last had focus.
    var last = null;
    document.addEventListener("focusin", function (ev) {
      var t = ev.target;
      if (t.closest && t.closest(".rte-area")) { last = { editor: t.closest("[data-rich-editor]") }; return; }
      if ((t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type === "text")) && t.closest("[data-variable-target]")) {
        last = { field: t };
      }
    });
    document.addEventListener("click", function (ev) {
      var button = ev.target.closest("[data-insert-tag]");
      if (!button) return;
      var tag = button.getAttribute("data-insert-tag");
      var scope = document.querySelector("[data-variable-target]");
      var target = last;
      if (!target || (target.field && target.field.hidden)) {
        var visible = editors.filter(function (e) { return !e.block.hidden; })[0];
        target = visible ? { editor: visible.block } : { field: scope && scope.querySelector("textarea:not([hidden])") };
      }
      if (target.editor) {
        var made = editors.filter(function (e) { return e.block === target.editor; })[0];
        if (made) { made.editor.focus(); made.editor.insertPlainText(tag, false); made.editor.focus(); }
      } else if (target.field) {
        var field = target.field;
        var start = field.selectionStart == null ? field.value.length : field.selectionStart;
        var end = field.selectionEnd == null ? start : field.selectionEnd;
        field.setRangeText(tag, start, end, "end");
        field.focus();
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      var picker = button.closest("details");
      if (picker) picker.open = false;
    });
  }

  // The picker closes with Esc (focus back on its button) and when clicking elsewhere.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var open = ev.target.closest && ev.target.closest(".var-picker[open]");
    if (open) { ev.stopPropagation(); open.open = false; open.querySelector("summary").focus(); }
  }, true);
  document.addEventListener("click", function (ev) {
    Array.prototype.forEach.call(document.querySelectorAll(".var-picker[open]"), function (open) {
      if (!open.contains(ev.target)) open.open = false;
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
