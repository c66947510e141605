// The date of birth in words under its three boxes, as the patient types it ("February 4,
// 1971", "4 de febrero de 1971"), so a day and month typed the other way round is seen before
// going on. The server checks the date; this only reads it back.
(function () {
  "use strict";
  var out = document.getElementById("dob-in-words");
  if (!out || !window.Intl) return;
  var boxes = ["dob_month", "dob_day", "dob_year"].map(function (name) {
    return document.querySelector("input[name=" + name + "]");
  });
  if (boxes.indexOf(null) !== -1) return;
  var words = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
  });

  function show() {
    var month = parseInt(boxes[0].value, 10);
    var day = parseInt(boxes[1].value, 10);
    var year = parseInt(boxes[2].value, 10);
    var date = new Date(Date.UTC(year, month - 1, day));
    var real = year >= 1900 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    out.textContent = real
      ? out.dataset.label + " " + words.format(date) + ". " + out.dataset.note
      : "";
  }

  boxes.forEach(function (box) { box.addEventListener("input", show); });
  show();
})();
