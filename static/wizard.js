// Progressive enhancement only: every page works without this script.

// The date and time it is now in an IANA time zone ("America/Los_Angeles"), as numbers.
function partsIn(zone, date) {
  var parts = {};
  new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric",
    day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(date).forEach(function (part) {
    parts[part.type] = +part.value;
  });
  return parts;
}

document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen reader users hear it first.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // An error summary link moves focus to the option it names, not only the view
  // (a plain #link leaves focus on the link), and shows the question with it.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.hash.slice(1));
      if (!input) { return; }
      event.preventDefault();
      input.focus({ preventScroll: true });
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      (legend || input).scrollIntoView();
    });
  });

  // "Continue where you left off" on the start page: the last question or result this tab showed.
  // The answers are only ever in page addresses; this keeps the latest one for this tab only
  // (sessionStorage ends with the tab, so a shared device does not offer it to the next person).
  try {
    if (/\/(q\/[a-z0-9_]+|answers)$/.test(location.pathname)) {  // under any prefix the site is mounted at
      sessionStorage.setItem("wizard-last-page", location.pathname + location.search);
    }
    var last = sessionStorage.getItem("wizard-last-page");
    var resume = document.querySelector(".js-continue");
    if (resume && last && last.charAt(0) === "/" && last.charAt(1) !== "/") {
      resume.querySelector("a").href = last;
      resume.hidden = false;
    }
  } catch (storageRefused) { /* storage off: the browser's Back button still works */ }

  // On the start page: if the browser's first language is one this help is also in, say so (in that
  // language). Only a suggestion, made here in the browser: the page itself is the same for everyone
  // (one cached copy per address), and nobody is ever redirected.
  var preferred = ((navigator.languages && navigator.languages[0]) || navigator.language || "").toLowerCase();
  document.querySelectorAll(".js-language-suggestion").forEach(function (suggestion) {
    var code = suggestion.getAttribute("data-language");
    if (code && (preferred === code || preferred.indexOf(code + "-") === 0)) { suggestion.hidden = false; }
  });

  // A desk's published hours by the reader's own clock (in Puerto Rico, Japan, Germany...): the hours as
  // data on the page (the desk's time zone, opening and closing time), turned into this device's time.
  // Left hidden where the device already keeps the desk's time, or where the browser cannot say.
  try {
    document.querySelectorAll(".js-local-hours").forEach(function (line) {
      var now = new Date();
      var there = partsIn(line.getAttribute("data-zone"), now);
      var offset = Date.UTC(there.year, there.month - 1, there.day, there.hour, there.minute) -
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes());
      if (offset === -now.getTimezoneOffset() * 60000) { return; }  // the reader's clock is the desk's
      var amPm = line.getAttribute("data-am-pm").split("|");
      var clock = function (instant) {  // "9 a.m.", "9:30 p.m.": as the page writes the published hours
        var hour = instant.getHours(), minute = instant.getMinutes();
        return (hour % 12 || 12) + (minute ? ":" + (minute < 10 ? "0" : "") + minute : "") + " " + amPm[hour < 12 ? 0 : 1];
      };
      var opensHere = null;
      var text = line.textContent;
      ["from", "to"].forEach(function (name) {
        var time = line.getAttribute("data-" + name).split(":");
        var instant = new Date(Date.UTC(there.year, there.month - 1, there.day, +time[0], +time[1]) - offset);
        var said = clock(instant);
        if (name === "from") { opensHere = instant; }
        else if (instant.getDate() !== opensHere.getDate()) { said = line.getAttribute("data-next-day").replace("{time}", said); }
        text = text.replace("{" + name + "}", said);
      });
      text = text.replace(/\.\./g, ".");  // "9 p.m." at the end of the sentence
      if (opensHere.getDate() !== there.day) { text += " " + line.getAttribute("data-other-days"); }
      line.textContent = text;
      line.hidden = false;
    });
  } catch (noTimeZones) { /* an old browser: the published hours and their time zone are still on the page */ }

  // Show a Print button where scripts run; the text tip covers the rest.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".no-js-print").forEach(function (tip) { tip.hidden = true; });
});
