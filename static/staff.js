// Call mode shortcuts, ticket details and notes. Progressive enhancement: every page works without it,
// except the ticket details and notes (kept in this tab only, never sent) and the copy button.
(function () {
  "use strict";
  var STORE = "staff-shortcuts";  // "off" turns single-key shortcuts off (WCAG 2.1.4)
  var KEPT = /^(notes|details):/;  // what this tab keeps per call, in sessionStorage

  function shortcutsOn() { return window.localStorage.getItem(STORE) !== "off"; }

  function showBadges() { document.documentElement.classList.toggle("shortcuts-off", !shortcutsOn()); }

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
      showBadges();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" Single-key shortcuts"));
    nav.appendChild(label);
  }

  function focusHeading() {
    var heading = document.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  var pending = null;  // a first digit waiting for a second one, when a question has ten or more options
  var WAIT_MS = 700;

  function twoDigitsStartWith(key) {
    return Array.prototype.some.call(document.querySelectorAll('[data-shortcut^="' + key + '"]'), function (el) {
      return /^[0-9]{2}$/.test(el.getAttribute("data-shortcut"));
    });
  }

  function press(key) {
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (target) { target.click(); }
  }

  function onKey(event) {
    var copy = document.getElementById("copy-summary");
    var copying = event.key === "Enter" && event.ctrlKey && copy;
    // Escape leaves a box, Ctrl+Enter copies the summary and leaves it: the next key is a shortcut again,
    // not a stray letter in the ticket.
    if ((copying || event.key === "Escape") && typing(event.target)) {
      event.preventDefault();
      if (copying) { copy.click(); }
      event.target.blur();
      focusHeading();
      return;
    }
    if (!shortcutsOn() || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (pending && /^[0-9]$/.test(event.key)) {  // "1" then "1": option 11
      event.preventDefault();
      var first = pending.key;
      window.clearTimeout(pending.timer);
      pending = null;
      press(document.querySelector('[data-shortcut="' + first + event.key + '"]') ? first + event.key : first);
      return;
    }
    var focusTarget = document.querySelector('[data-shortcut-focus="' + event.key + '"]');
    if (focusTarget) {
      event.preventDefault();
      focusTarget.focus();
      // A search box opens with its old words selected: typing replaces them (ticket boxes keep theirs).
      if (focusTarget.type === "search" || focusTarget.id === "code") { focusTarget.select(); }
      return;
    }
    if (/^[1-9]$/.test(event.key) && twoDigitsStartWith(event.key)) {
      event.preventDefault();
      var key = event.key;
      pending = {key: key, timer: window.setTimeout(function () { pending = null; press(key); }, WAIT_MS)};
      return;
    }
    var target = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (target) { event.preventDefault(); target.click(); }
  }

  function callId() {
    var notes = document.getElementById("notes");
    return notes ? notes.getAttribute("data-call") : null;
  }

  function keep(name, field) {
    var key = name + ":" + callId();
    field.value = window.sessionStorage.getItem(key) || "";
    field.addEventListener("input", function () { window.sessionStorage.setItem(key, field.value); });
  }

  // The summary from the server, with the ticket details after the cause, and the notes last.
  function summaryText() {
    var summary = document.getElementById("summary");
    var text = summary ? summary.getAttribute("data-from-server").trim() : "";
    var details = [];
    document.querySelectorAll("[data-prompt]").forEach(function (field) {
      // data-empty: what the ticket says of a box left empty (a callback on a call escalated to tier 2)
      var value = field.value.trim() || field.getAttribute("data-empty");
      if (value) { details.push("- " + field.getAttribute("data-ticket") + ": " + value); }
    });
    if (details.length) {
      var block = "Caller details:\n" + details.join("\n") + "\n";
      var at = text.indexOf("Reference code:");
      text = at >= 0 ? text.slice(0, at) + block + text.slice(at) : text + "\n" + block.trim();
    }
    var notes = document.getElementById("notes");
    if (notes && notes.value.trim()) { text += "\nNotes: " + notes.value.trim(); }
    return text;
  }

  function say(message) {
    var status = document.querySelector(".copy-status");
    if (!status) { return; }
    status.textContent = message;
    status.classList.add("copy-status--shown");
    window.setTimeout(function () { status.classList.remove("copy-status--shown"); }, 4000);
  }

  function setUpTicket() {
    document.querySelectorAll(".js-only").forEach(function (part) { part.hidden = false; });
    var notes = document.getElementById("notes");
    if (!notes) { return; }
    keep("notes", notes);
    document.querySelectorAll("[data-prompt]").forEach(function (field) {
      keep("details:" + field.getAttribute("data-prompt"), field);
    });
    var summary = document.getElementById("summary");
    var show = function () { summary.textContent = summaryText(); };  // what `c` copies, as it will paste
    show();
    document.querySelectorAll("[data-prompt], #notes").forEach(function (field) { field.addEventListener("input", show); });
    var copy = document.getElementById("copy-summary");
    copy.addEventListener("click", function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(summaryText()).then(function () { say("Summary copied."); }, function () {
          say("Could not copy: select the summary text and copy it.");
        });
      } else {
        say("Could not copy: select the summary text and copy it.");
      }
    });
  }

  function forgetOnLogOut() {  // what the agent typed about callers goes when they log out
    document.querySelectorAll("form.log-out").forEach(function (form) {
      form.addEventListener("submit", function () {
        Object.keys(window.sessionStorage).forEach(function (key) {
          if (KEPT.test(key)) { window.sessionStorage.removeItem(key); }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("[data-focus-on-load]");
    if (first) { first.focus(); }
    showBadges();
    addToggle();
    setUpTicket();
    forgetOnLogOut();
    document.addEventListener("keydown", onKey);
  });
}());
