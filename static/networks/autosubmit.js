// A <select data-autosubmit> submits its form when changed (the dashboard's country filter);
// without JavaScript the <noscript> button does it. An event listener, not onchange="", so the
// Content Security Policy needs no inline script.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
