// Warns staff before an idle session ends, offers to stay, and leaves the page when it has.
(function () {
  "use strict";
  var dialog = document.getElementById("staff-idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var sessionSeconds = parseInt(dialog.getAttribute("data-session-seconds"), 10);
  var warningSeconds = parseInt(dialog.getAttribute("data-warning-seconds"), 10);
  var warnTimer = null;
  var endTimer = null;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () { dialog.showModal(); },
      Math.max(sessionSeconds - warningSeconds, 1) * 1000);
    // Once the session has ended, do not leave patient data on screen.
    endTimer = setTimeout(function () {
      window.location.href = dialog.getAttribute("data-login-url");
    }, sessionSeconds * 1000);
  }

  document.getElementById("staff-idle-stay").addEventListener("click", function () {
    fetch(dialog.getAttribute("data-keepalive-url"), { credentials: "same-origin" })
      .then(function (response) {
        dialog.close();
        if (response.redirected || !response.ok) {
          window.location.href = dialog.getAttribute("data-login-url");
        } else {
          schedule();
        }
      });
  });
  schedule();
})();
