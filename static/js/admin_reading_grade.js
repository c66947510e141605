// Shows the reading grade of the article body while an editor types.
(function () {
  "use strict";
  function start() {
    var body = document.getElementById("id_body");
    if (!body) { return; }
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    // A Spanish revision is measured with Fernández-Huerta (higher is easier).
    var marker = document.getElementById("revision-language");
    var language = marker ? marker.getAttribute("data-language") : "en";
    var output = document.createElement("p");
    output.id = "live-reading-grade";
    output.setAttribute("aria-live", "polite");
    output.className = "help";
    body.parentNode.appendChild(output);
    var url = window.location.pathname.replace(/(add|\d+\/change)\/?$/, "") + "reading-grade/";
    var timer = null;
    function check() {
      var data = new FormData();
      data.append("body", body.value);
      data.append("language", language);
      fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrf ? csrf.value : "" } })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.language === "es") {
            output.textContent = "Fernández-Huerta reading ease: " + result.ease +
              (result.above_limit ? " (below " + result.minimum + ": please simplify)" : " (good)");
          } else {
            output.textContent = "Reading grade: " + result.grade +
              (result.above_limit ? " (above grade " + result.limit + ": please simplify)" : " (good)");
          }
          output.style.color = result.above_limit ? "#a00" : "";
          output.style.fontWeight = result.above_limit ? "bold" : "";
        });
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    check();
  }
  document.addEventListener("DOMContentLoaded", start);
})();
