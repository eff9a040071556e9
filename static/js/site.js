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
  // On the search page, put the query back in the box.
  var q = new URLSearchParams(location.search).get("q");
  if (q) {
    document.querySelectorAll('.search-form input[name="q"]').forEach(function (input) {
      if (!input.value) input.value = q;
    });
  }
})();
