// helpsite: small enhancements; every page works without them.
(function () {
  "use strict";
  // Close the language menu with Escape, or by clicking elsewhere.
  var menus = document.querySelectorAll(".language-switcher details");
  function closeAll(except) {
    menus.forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    menus.forEach(function (d) {
      if (d.open) {
        d.removeAttribute("open");
        d.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (e) {
    var inside = e.target.closest && e.target.closest(".language-switcher details");
    closeAll(inside);
  });
  // Search: load its script when a visitor first uses a search box, or at
  // once on the results page.
  var html = document.documentElement;
  var searchScript = html.getAttribute("data-search-script");
  var loaded = false;
  function loadSearch() {
    if (loaded || !searchScript) return;
    loaded = true;
    var s = document.createElement("script");
    s.src = searchScript;
    var integrity = html.getAttribute("data-search-integrity");
    if (integrity) s.integrity = integrity;
    document.head.appendChild(s);
  }
  function isSearchBox(e) {
    return e.target.matches && e.target.matches('.search-form input[name="q"]');
  }
  if (document.getElementById("search-results")) loadSearch();
  document.addEventListener("focusin", function (e) {
    if (isSearchBox(e)) loadSearch();
  });
  document.addEventListener("pointerover", function (e) {
    if (isSearchBox(e)) loadSearch();
  });
})();
