// helpsite: the colour scheme. Pages follow the system's (prefers-color-scheme)
// unless the visitor chose one with the header's toggle; the choice is kept
// in localStorage and set as data-theme on <html> before the first paint,
// which is why this script is not deferred. The stylesheet does the rest.
(function () {
  "use strict";
  var key = "helpsite-theme";
  var html = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  function stored() {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null; // storage disabled: follow the system
    }
  }
  var chosen = stored();
  if (chosen === "light" || chosen === "dark") html.setAttribute("data-theme", chosen);
  function isDark() {
    var t = html.getAttribute("data-theme");
    return t ? t === "dark" : system.matches;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    function show() {
      button.setAttribute("aria-pressed", String(isDark()));
    }
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try {
        localStorage.setItem(key, next);
      } catch (e) {
        // not remembered: this page still switches
      }
      show();
    });
    system.addEventListener("change", show);
    show();
    button.hidden = false;
  });
})();
