// helpsite: article feedback. The widget (partial feedback.html) is hidden
// until this script shows it, and only where it has somewhere to send
// reactions: a page from file:// (an offline bundle) has none. A reaction
// is sent as soon as it is chosen; the server answers with the id of the
// record and a token that lets this page change the reaction or add a
// comment to it, not create another.
(function () {
  "use strict";
  var box = document.getElementById("feedback");
  if (!box) return;
  var endpoint = box.getAttribute("data-endpoint");
  if (!endpoint || location.protocol === "file:" || !window.fetch) return;
  var article = box.getAttribute("data-article");
  var locale = box.getAttribute("data-locale");
  var buttons = box.querySelectorAll(".feedback-reaction");
  var form = box.querySelector(".feedback-comment");
  var text = form.querySelector("textarea");
  var status = box.querySelector(".feedback-status");
  var record = null; // {id, token} of this page's reaction
  var reaction = 0;

  function post(body) {
    if (record) {
      body.id = record.id;
      body.token = record.token;
    }
    return fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    }).then(function (r) {
      if (!r.ok) throw new Error("feedback: " + r.status);
      return r.json();
    });
  }
  function say(what) {
    status.textContent = status.getAttribute(what) || "";
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      reaction = Number(b.getAttribute("data-reaction"));
      buttons.forEach(function (o) {
        o.setAttribute("aria-pressed", String(o === b));
      });
      post({ article: article, locale: locale, reaction: reaction }).then(function (r) {
        record = { id: r.id, token: r.token };
        status.textContent = "";
        form.hidden = false;
        text.focus();
      }, function () {
        say("data-error");
      });
    });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!record) return;
    post({ article: article, locale: locale, reaction: reaction, comment: text.value }).then(function () {
      form.hidden = true;
      say("data-thanks");
      status.focus();
    }, function () {
      say("data-error");
    });
  });
  status.tabIndex = -1;
  box.hidden = false;
})();
