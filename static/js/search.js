// helpsite search: results as you type in every search box, and the
// results page. site.js loads this script when a visitor first uses a
// search box, so pages that are only read never download it.
//
// Pages that the server serves (their data-search-api names its search
// API) ask that API. Elsewhere (a static host, file://), or if the API does
// not answer, it loads the static index of the page's locale
// (search/search-<locale>.js, plain scripts, which work where fetch does
// not) and searches in the browser. Both answer the same results.
(function () {
  "use strict";
  var doc = document;
  var html = doc.documentElement;
  var root = html.getAttribute("data-root") || "/";
  var api = html.getAttribute("data-search-api");
  var locale = html.getAttribute("data-locale") || html.lang;
  var SUGGESTIONS = 8;
  var RESULTS = 50;
  var DELAY = 120; // ms of quiet typing before a search
  var MODE_KEY = "helpsite-search-mode";

  var strings = {};
  try {
    strings = JSON.parse(doc.getElementById("search-strings").textContent);
  } catch (e) {
    // Missing strings leave messages empty, not search broken.
  }

  // text fills the placeholders of the string named key.
  function text(key, query, count) {
    return (strings[key] || "").replace("{query}", query).replace("{count}", String(count));
  }

  function countText(query, count) {
    var form = "other";
    try {
      if (new Intl.PluralRules(locale).select(count) === "one") form = "one";
    } catch (e) {
      if (count === 1) form = "one";
    }
    return text(form, query, count);
  }

  // resolve makes a result's URL usable from this page: the API and the
  // static index of a site give root-relative URLs, that of a bundle URLs
  // relative to the bundle's root.
  function resolve(url) {
    return /^(\/|[a-z][a-z0-9+.-]*:)/i.test(url) ? url : root + url;
  }

  // --- the two engines ---

  function session(get, value) {
    try {
      if (get) return sessionStorage.getItem(MODE_KEY);
      sessionStorage.setItem(MODE_KEY, value);
    } catch (e) {
      // Storage can be off (file://, privacy settings): ask again next page.
    }
    return null;
  }

  var useAPI = !!api && /^https?:$/.test(location.protocol) && session(true) !== "static";

  // NoAPI says the server has no search API: the answer is not its JSON.
  function NoAPI() {}

  function searchAPI(query, limit) {
    var url = api + "?q=" + encodeURIComponent(query) +
      "&locale=" + encodeURIComponent(locale) + "&limit=" + limit;
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) throw new NoAPI();
      return res.json().then(function (body) {
        // A query the API refuses (too long, say) finds nothing.
        return res.ok ? body : { query: query, total: 0, results: [] };
      });
    }, function () {
      throw new NoAPI();
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = doc.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () {
        s.remove();
        reject(new Error("cannot load " + src));
      };
      doc.head.appendChild(s);
    });
  }

  var staticIndex = null;
  var reloaded = false;
  var searchDir = root + "search/";
  var manifest = searchDir + "search-" + locale + ".js";

  function searchLoaded(query, limit) {
    return window.helpsiteSearch.search(locale, query, { limit: limit }).then(function (res) {
      if (!res) throw new Error("no search index for " + locale);
      return res;
    });
  }

  // searchStatic searches with the static engine, which loads the
  // manifest of the locale's index here and then only the chunks a query
  // needs, from the same directory.
  function searchStatic(query, limit) {
    if (!staticIndex) {
      var hs = (window.helpsiteSearch = window.helpsiteSearch || {});
      hs.base = searchDir;
      staticIndex = Promise.all([loadScript(searchDir + "search-engine.js"), loadScript(manifest)]);
      staticIndex.catch(function () {
        staticIndex = null; // try again on the next search
      });
    }
    return staticIndex.then(function () {
      return searchLoaded(query, limit);
    }).catch(function (err) {
      // The site may have changed since the manifest loaded, removing the
      // chunks it names: load the new one, once.
      if (reloaded || !staticIndex || !/^https?:$/.test(location.protocol)) throw err;
      reloaded = true;
      return loadScript(manifest + "?" + Date.now()).then(function () {
        return searchLoaded(query, limit);
      });
    });
  }

  function search(query, limit) {
    if (!useAPI) return searchStatic(query, limit);
    return searchAPI(query, limit).catch(function (err) {
      if (!(err instanceof NoAPI)) throw err;
      useAPI = false;
      session(false, "static");
      return searchStatic(query, limit);
    });
  }

  // --- results as HTML ---

  function el(tag, className, content) {
    var e = doc.createElement(tag);
    if (className) e.className = className;
    if (content) e.textContent = content;
    return e;
  }

  // snippet rebuilds a result's snippet (escaped text with <mark>s) from
  // text nodes and marks only, so no markup in it can do anything else.
  function snippet(source) {
    var p = el("p", "search-snippet");
    var body = new DOMParser().parseFromString(source || "", "text/html").body;
    body.childNodes.forEach(function (n) {
      p.appendChild(n.nodeName === "MARK" ? el("mark", "", n.textContent) : doc.createTextNode(n.textContent));
    });
    return p;
  }

  // resultContent fills e with a result's title, breadcrumb and snippet.
  function resultContent(e, r) {
    e.appendChild(el("span", "search-title", r.title));
    if (r.breadcrumb && r.breadcrumb.length) {
      e.appendChild(el("span", "search-breadcrumb", r.breadcrumb.join(" › ")));
    }
    e.appendChild(snippet(r.snippet));
    return e;
  }

  // --- the combobox of a search box ---

  // Combobox follows the ARIA Authoring Practices' combobox with a listbox
  // popup: the focus stays in the input, ↑/↓ move aria-activedescendant
  // over the options, Enter opens the chosen one, Escape closes the popup.
  // Options are not links (a listbox may hold nothing interactive): each
  // names its page in data-href.
  function Combobox(form) {
    var input = form.querySelector('input[role="combobox"]');
    var list = form.querySelector('[role="listbox"]');
    var status = form.querySelector('[role="status"]');
    var timer = 0;
    var seq = 0;
    var active = -1;
    var options = [];

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) select(-1);
    }

    function select(i) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // option returns an option opening href, or a disabled one without.
    function option(i, className, href) {
      var li = el("li", "search-option " + className);
      li.id = input.id + "-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      if (href) li.setAttribute("data-href", href);
      else li.setAttribute("aria-disabled", "true");
      return li;
    }

    function message(className, content) {
      list.textContent = "";
      options = [];
      active = -1;
      var o = option(0, className, "");
      o.textContent = content;
      list.appendChild(o);
    }

    function show(query, res) {
      list.textContent = "";
      options = [];
      active = -1;
      res.results.forEach(function (r, i) {
        options.push(resultContent(option(i, "search-result", resolve(r.url)), r));
      });
      if (res.results.length === 0) {
        message("search-none", text("none", query));
      } else {
        var all = option(res.results.length, "search-all", form.action + "?q=" + encodeURIComponent(query));
        all.textContent = text("all", query);
        options.push(all);
      }
      options.forEach(function (o) { list.appendChild(o); });
      list.setAttribute("data-query", query);
      status.textContent = countText(query, res.total);
      open(true);
    }

    function run() {
      var query = input.value.trim();
      var n = ++seq;
      if (!query) {
        open(false);
        status.textContent = "";
        return;
      }
      search(query, SUGGESTIONS).then(function (res) {
        if (n === seq && doc.activeElement === input) show(query, res);
      }, function () {
        if (n !== seq) return;
        message("search-none", text("failed"));
        open(true);
      });
    }

    function go(o) {
      location.href = o.getAttribute("data-href");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, DELAY);
    });
    input.addEventListener("focus", function () {
      if (input.value.trim() && list.hidden) run();
    });
    input.addEventListener("keydown", function (e) {
      var n = options.length;
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (list.hidden) {
            run();
          } else if (n) {
            var step = e.key === "ArrowDown" ? 1 : -1;
            select(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
          }
          e.preventDefault();
          break;
        case "Escape":
          if (!list.hidden) {
            e.preventDefault();
            open(false);
          } else if (input.value) {
            input.value = "";
          }
          break;
      }
    });
    // Enter opens the chosen option, or else the results page.
    form.addEventListener("submit", function (e) {
      if (list.hidden || !options[active]) return;
      e.preventDefault();
      go(options[active]);
    });
    list.addEventListener("click", function (e) {
      var o = e.target.closest('[role="option"][data-href]');
      if (o) go(o);
    });
    // Keep the focus in the box while an option is clicked.
    list.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    form.addEventListener("focusout", function (e) {
      if (!form.contains(e.relatedTarget)) open(false);
    });
    if (doc.activeElement === input && input.value.trim()) run();
  }

  // --- the results page ---

  function ResultsPage(container, input) {
    var timer = 0;
    var seq = 0;

    function show(query, res) {
      container.textContent = "";
      container.setAttribute("data-query", query);
      container.appendChild(el("p", "search-summary", res.total ? countText(query, res.total) : text("none", query)));
      if (!res.results.length) return;
      var ol = el("ol", "search-result-list");
      res.results.forEach(function (r) {
        var li = el("li");
        var a = resultContent(el("a", "search-result"), r);
        a.href = resolve(r.url);
        li.appendChild(a);
        ol.appendChild(li);
      });
      container.appendChild(ol);
    }

    function run() {
      var query = input.value.trim();
      var n = ++seq;
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      try {
        history.replaceState(null, "", url);
      } catch (e) {
        // Some browsers refuse it for file:// pages; the URL only lags.
      }
      container.textContent = "";
      if (!query) return;
      container.setAttribute("aria-busy", "true");
      search(query, RESULTS).then(function (res) {
        if (n === seq) show(query, res);
      }, function () {
        if (n === seq) container.appendChild(el("p", "search-summary", text("failed")));
      }).then(function () {
        if (n === seq) container.removeAttribute("aria-busy");
      });
    }

    input.value = new URLSearchParams(location.search).get("q") || input.value;
    input.form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run();
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, DELAY);
    });
    run();
  }

  doc.querySelectorAll(".search-form").forEach(function (form) {
    if (form.querySelector('input[role="combobox"]')) Combobox(form);
  });
  var results = doc.getElementById("search-results");
  var pageInput = results && doc.querySelector('input[aria-controls="search-results"]');
  if (pageInput) ResultsPage(results, pageInput);
})();
