// helpsite: Intercom's Messenger, added to every page when helpsite.yaml
// has messenger.app_id. It waits until the page has loaded and the browser
// is idle, so reading is never slowed by it, then does what Intercom's
// installation snippet does: queue calls to window.Intercom, boot with the
// app id and the region's API, and load Intercom's widget script. The app
// id comes from this script's data- attributes: the Content-Security-Policy
// allows no inline script.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var appID = me.getAttribute("data-app-id");
  var apiBase = me.getAttribute("data-api-base");
  if (!appID || window.Intercom) return;
  function load() {
    var settings = { api_base: apiBase, app_id: appID };
    window.intercomSettings = settings;
    var queue = function () {
      queue.c(arguments);
    };
    queue.q = [];
    queue.c = function (args) {
      queue.q.push(args);
    };
    window.Intercom = queue;
    window.Intercom("boot", settings);
    var s = document.createElement("script");
    s.async = true;
    s.src = "https://widget.intercom.io/widget/" + encodeURIComponent(appID);
    document.head.appendChild(s);
  }
  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 2000 });
    else setTimeout(load, 0);
  }
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle);
})();
