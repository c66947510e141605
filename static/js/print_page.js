// The "Print your answers" button prints the page (the print styles hide the rest).
(function () {
  "use strict";
  var button = document.getElementById("print-answers");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
