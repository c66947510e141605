// Warns a patient before an idle intake page would close, and lets them stay.
(function () {
  "use strict";
  var WARN_BEFORE_SECONDS = 120;
  var page = document.querySelector("[data-idle-seconds]");
  var dialog = document.getElementById("idle-warning");
  if (!page || !dialog || typeof dialog.showModal !== "function") { return; }
  var idleSeconds = parseInt(page.getAttribute("data-idle-seconds"), 10);
  var keepaliveUrl = page.getAttribute("data-keepalive-url");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;

  function schedule() {
    clearTimeout(timer);
    var wait = Math.max(idleSeconds - WARN_BEFORE_SECONDS, 1) * 1000;
    timer = setTimeout(function () { dialog.showModal(); }, wait);
  }

  document.getElementById("idle-stay").addEventListener("click", function () {
    fetch(keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" }
    }).then(function (response) {
      dialog.close();
      if (response.status === 410) { window.location.reload(); } else { schedule(); }
    });
  });
  schedule();
})();
