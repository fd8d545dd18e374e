/* The import page: poll the import's progress while it runs, then reload to show the outcome.
   The URL comes from the page (data-status-url); no inline script. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var done = box.querySelector(".done");
  var badge = document.getElementById("import-status");
  var delay = 1000;
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        bar.value = s.progress;
        done.textContent = s.rows_done;
        if (badge) { badge.textContent = s.status_label; }
        if (s.status !== "queued" && s.status !== "running") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.3, 8000);
        window.setTimeout(tick, delay);
      })
      .catch(function () { window.setTimeout(tick, 8000); });
  }
  window.setTimeout(tick, delay);
}());
