// The back of the neck and legs on the body map are labels for the front's checkboxes. A tap
// on a label focuses its checkbox, and the browser scrolls up to it on the front drawing:
// here the tap marks the place without moving the page. Without JavaScript the label still
// marks it (the page may scroll).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var twin = event.target.closest ? event.target.closest(".bm-twin") : null;
    var box = twin && document.getElementById(twin.htmlFor);
    if (!box) { return; }
    event.preventDefault();
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
