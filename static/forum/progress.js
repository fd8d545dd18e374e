// Polls the synthesis' progress while it is queued or building, and shows the files when done.
(function () {
  "use strict";
  var box = document.getElementById("build");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  function show(data) {
    document.getElementById("forum-status").textContent = data.label;
    document.getElementById("forum-percent").textContent = data.progress;
    document.getElementById("forum-progress").value = data.progress;
    box.setAttribute("data-status", data.status);
    if (data.status === "done") {
      document.getElementById("forum-files").hidden = false;
      var updating = document.getElementById("forum-updating");
      if (updating) updating.hidden = true;  // the new files replaced the previous build's
    }
  }
  function poll() {
    fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        show(data);
        if (data.status === "queued" || data.status === "running") {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") poll();
})();
