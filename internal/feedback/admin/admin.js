// The admin page of article feedback: asks /admin/feedback with the admin
// token and shows its rows, which the server sorts by share of sad
// reactions. Everything is written as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("login");
  var token = document.getElementById("token");
  var status = document.getElementById("status");
  var table = document.getElementById("report");
  var body = table.querySelector("tbody");
  token.value = sessionStorage.getItem("helpsite-admin-token") || "";

  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }
  function pct(v) {
    return Math.round(v * 100) + "%";
  }
  function show(articles) {
    body.textContent = "";
    articles.forEach(function (a) {
      var tr = document.createElement("tr");
      var first = cell(tr, "");
      if (a.url) {
        var link = document.createElement("a");
        link.href = a.url;
        link.textContent = a.title || a.article;
        first.appendChild(link);
      } else {
        first.textContent = a.article + " (not published)";
      }
      cell(tr, a.locale);
      cell(tr, String(a.total), "num");
      cell(tr, a.sad + " (" + pct(a.sad_share) + ")", "num");
      cell(tr, a.neutral + " (" + pct(a.neutral_share) + ")", "num");
      cell(tr, a.happy + " (" + pct(a.happy_share) + ")", "num");
      var comments = cell(tr, "");
      if (a.comments && a.comments.length) {
        var ul = document.createElement("ul");
        a.comments.forEach(function (c) {
          var li = document.createElement("li");
          li.textContent = ["", "😞", "😐", "😃"][c.reaction] + " " + c.text;
          ul.appendChild(li);
        });
        comments.appendChild(ul);
      }
      body.appendChild(tr);
    });
    table.hidden = false;
    status.textContent = articles.length + " articles with feedback.";
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("helpsite-admin-token", token.value);
    fetch("/admin/feedback", { headers: { Authorization: "Bearer " + token.value, Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status === 401 ? "The token is wrong." : "The server answered " + r.status + ".");
        return r.json();
      })
      .then(function (data) {
        show(data.articles || []);
      })
      .catch(function (err) {
        table.hidden = true;
        status.textContent = err.message;
      });
  });
})();
