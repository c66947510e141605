// The medicine name box as a combobox (WAI-ARIA 1.2 pattern, list autocomplete): matches from
// the clinic's product list appear as the patient types. Choosing one (tap, or arrows and
// Enter) fills the name and asks that medicine's questions. Without this script the box and
// its "Find this medicine" button do the same in one more step.
(function () {
  "use strict";
  var box = document.querySelector(".medicine-search");
  if (!box || !window.fetch) return;
  var input = box.querySelector("input[name=medicine]");
  var product = box.querySelector("input[name=product]");
  var form = input.form;
  var findButton = form.querySelector("button[value=find]");
  var listId = input.id + "-options";
  var list = document.createElement("ul");
  var status = document.createElement("p");
  // Said when the name is a medicine that is not an opioid (visible; the status reads it).
  var note = document.createElement("p");
  var options = [];
  var active = -1;
  var timer = null;
  var asked = "";

  list.id = listId;
  list.className = "medicine-options list-group";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", box.querySelector("label").textContent);
  list.hidden = true;
  note.className = "alert alert-info mt-2 mb-0";
  note.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", note);
  note.insertAdjacentElement("afterend", status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    // The strength typed with the name stays with it, so it is not asked again.
    input.value = option.dataset.name + (option.dataset.strength ? " " + option.dataset.strength : "");
    product.value = option.dataset.id;
    close();
    // Choosing is the patient's own act: it opens that medicine's questions.
    if (form.requestSubmit) {
      form.requestSubmit(findButton);
    } else {
      findButton.click();
    }
  }

  function say(count) {
    if (count === 0) {
      status.textContent = box.dataset.noneFound;
    } else if (count === 1) {
      status.textContent = box.dataset.oneFound;
    } else {
      status.textContent = box.dataset.manyFound.replace("%(count)s", count);
    }
  }

  function show(results, notAnOpioid) {
    note.textContent = notAnOpioid || "";
    note.hidden = !notAnOpioid;
    list.textContent = "";
    options = results.map(function (result, index) {
      var option = document.createElement("li");
      option.id = listId + "-" + index;
      option.className = "list-group-item";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("lang", "en");
      option.dataset.id = result.id;
      option.dataset.name = result.name;
      if (result.strength) option.dataset.strength = result.strength;
      var name = document.createElement("strong");
      name.textContent = result.strength ? result.name + " " + result.strength : result.name;
      option.appendChild(name);
      if (result.generic.toLowerCase() !== result.name.toLowerCase()) {
        option.appendChild(document.createTextNode(" (" + result.generic + ")"));
      }
      // mousedown keeps the focus in the box, so the list does not close before the tap.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        choose(option);
      });
      list.appendChild(option);
      return option;
    });
    active = -1;
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    say(options.length);
    if (notAnOpioid) status.textContent = notAnOpioid;
  }

  function lookUp() {
    var text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 2) {
      show([]);
      status.textContent = "";
      return;
    }
    fetch(box.dataset.searchUrl + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (input.value.trim() === text) show(data.results, data.not_an_opioid);
      })
      .catch(function () {
        close();
      });
  }

  input.addEventListener("input", function () {
    product.value = "";
    clearTimeout(timer);
    timer = setTimeout(lookUp, 120);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight(Math.min(active + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
})();
