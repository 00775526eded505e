// Call mode shortcuts and notes. Progressive enhancement: every page works without it,
// except notes (kept in this tab only) and the copy button, which need a script.
(function () {
  "use strict";
  var STORE = "staff-shortcuts";  // "off" turns single-key shortcuts off (WCAG 2.1.4)

  function shortcutsOn() { return window.localStorage.getItem(STORE) !== "off"; }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function addToggle() {
    var nav = document.querySelector(".staff-nav");
    if (!nav) { return; }
    var label = document.createElement("label");
    label.className = "shortcut-toggle";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = shortcutsOn();
    box.addEventListener("change", function () {
      window.localStorage.setItem(STORE, box.checked ? "on" : "off");
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" Single-key shortcuts"));
    nav.appendChild(label);
  }

  function onKey(event) {
    if (!shortcutsOn() || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var focusTarget = document.querySelector('[data-shortcut-focus="' + event.key + '"]');
    if (focusTarget) { event.preventDefault(); focusTarget.focus(); return; }
    var target = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (target) { event.preventDefault(); target.click(); }
  }

  function notesKey(area) { return "notes:" + area.getAttribute("data-call"); }

  function summaryText() {
    var summary = document.getElementById("summary");
    var notes = document.getElementById("notes");
    var text = summary ? summary.textContent.trim() : "";
    if (notes && notes.value.trim()) { text += "\nNotes: " + notes.value.trim(); }
    return text;
  }

  function setUpNotes() {
    document.querySelectorAll(".js-only").forEach(function (part) { part.hidden = false; });
    var notes = document.getElementById("notes");
    if (notes) {
      notes.value = window.sessionStorage.getItem(notesKey(notes)) || "";
      notes.addEventListener("input", function () { window.sessionStorage.setItem(notesKey(notes), notes.value); });
    }
    var copy = document.getElementById("copy-summary");
    var status = document.querySelector(".copy-status");
    if (copy) {
      copy.addEventListener("click", function () {
        var done = function () { if (status) { status.textContent = "Summary copied."; } };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(summaryText()).then(done, function () {
            if (status) { status.textContent = "Could not copy: select the summary text and copy it."; }
          });
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
    addToggle();
    setUpNotes();
    document.addEventListener("keydown", onKey);
  });
}());
