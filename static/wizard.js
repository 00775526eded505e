// Progressive enhancement only: every page works without this script.

// The date and time in an IANA time zone, as numbers.
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

  // A desk's hours (data on the page) by the reader's own clock; left hidden on the desk's own clock.
  try {
    var words = document.getElementById("local-hours-words").dataset;  // the page's wording, once
    document.querySelectorAll(".js-local-hours").forEach(function (line) {
      var data = line.dataset, now = new Date(), there = partsIn(data.zone, now), amPm = words.amPm.split("|");
      var day = Date.UTC(there.year, there.month - 1, there.day);
      var offset = day + (there.hour * 60 + there.minute) * 60000 - Math.floor(now / 60000) * 60000;
      if (offset === -now.getTimezoneOffset() * 60000) { return; }
      var at = {}, said = {};
      ["from", "to"].forEach(function (name) {
        var time = data[name].split(":"), here = at[name] = new Date(day + (time[0] * 60 + +time[1]) * 60000 - offset);
        var h = here.getHours(), m = here.getMinutes();  // "9 a.m."
        said[name] = (h % 12 || 12) + (m ? ":" + (m < 10 ? "0" : "") + m : "") + " " + amPm[h < 12 ? 0 : 1];
      });
      if (at.to.getDate() !== at.from.getDate()) { said.to = words.nextDay.replace("{time}", said.to); }
      said.zone = (new Intl.DateTimeFormat(document.documentElement.lang, { timeZoneName: "long" }).formatToParts(now)
        .filter(function (part) { return part.type === "timeZoneName"; })[0] || {}).value || "";
      var text = words.line.replace(/\{(\w+)\}/g, function (_, name) { return said[name]; }).replace(" ()", "").replace("..", ".");
      line.textContent = at.from.getDate() === there.day ? text : text + " " + words.otherDays;
      line.hidden = false;
    });
  } catch (noHours) { /* no hours here, or an old browser: the published hours are on the page */ }

  // Show a Print button where scripts run; the text tip covers the rest.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".no-js-print").forEach(function (tip) { tip.hidden = true; });
});
