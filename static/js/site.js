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
  // Videos are facades (a.video-play, written by internal/articlehtml):
  // the player's frame loads only when the visitor clicks, so a page
  // loads nothing from the video's host before. A click with a modifier
  // opens the video's page, as a link does.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.video-play[data-embed]");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    var frame = document.createElement("iframe");
    var embed = a.getAttribute("data-embed");
    frame.src = embed + (embed.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    frame.title = a.querySelector(".video-title").textContent;
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups");
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("allowfullscreen", "");
    a.replaceWith(frame);
    frame.focus();
  });
  // Code blocks get a copy button, labelled from the article body's
  // data-copy and data-copied attributes (the locale's words).
  document.querySelectorAll(".article-body[data-copy] pre").forEach(function (pre) {
    if (!navigator.clipboard) return;
    var body = pre.closest(".article-body");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = body.getAttribute("data-copy");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.innerText).then(function () {
        button.textContent = body.getAttribute("data-copied");
        setTimeout(function () {
          button.textContent = body.getAttribute("data-copy");
        }, 2000);
      });
    });
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.replaceWith(wrap);
    wrap.append(pre, button);
  });
  // Search: load its script when a visitor first uses a search box. The
  // results page loads it itself.
  var html = document.documentElement;
  var searchScript = html.getAttribute("data-search-script");
  var loaded = !!document.getElementById("search-results");
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
  document.addEventListener("focusin", function (e) {
    if (isSearchBox(e)) loadSearch();
  });
  document.addEventListener("pointerover", function (e) {
    if (isSearchBox(e)) loadSearch();
  });
})();
