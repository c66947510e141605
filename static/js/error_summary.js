// A page with errors moves focus to its error summary, so a screen reader reads
// the problems first and a keyboard user can go straight to each one (GOV.UK pattern).
(function () {
  "use strict";
  var summary = document.querySelector("[data-takes-focus]");
  if (summary) { summary.focus(); }
})();
