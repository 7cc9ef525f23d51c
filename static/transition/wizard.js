// Progressive enhancement for the request wizard and the course list; every page works without it.
(function () {
  "use strict";
  // Course list: a "select all" box that ticks every selectable course.
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="course"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  // Scenario step: show only the settings of the scenario chosen for each course.
  document.querySelectorAll("fieldset[data-testid^='scenario-']").forEach(function (card) {
    var parts = card.querySelectorAll("[data-scenario-part]");
    function update() {
      var chosen = card.querySelector('input[type="radio"]:checked');
      parts.forEach(function (part) {
        part.hidden = !chosen || part.getAttribute("data-scenario-part") !== chosen.value;
      });
    }
    card.querySelectorAll('input[type="radio"]').forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
  // Options step: hide an option while a wider one that makes it pointless is ticked, as
  // Moodle's reset page does (e.g. the forum types while "delete all posts" is ticked).
  document.querySelectorAll("[data-overridden-by]").forEach(function (box) {
    var wider = document.querySelector('input[name="' + box.getAttribute("data-overridden-by") + '"]');
    if (!wider) {
      return;
    }
    function update() {
      box.hidden = wider.checked;
    }
    wider.addEventListener("change", update);
    update();
  });
  // Options step: suggest cohorts by Apogée code while typing (the last code after a comma).
  document.querySelectorAll("[data-cohort-search]").forEach(function (box, index) {
    var input = box.querySelector("input");
    if (!input) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = "cohort-suggestions-" + index;
    box.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = input.value.split(",");
        var typed = parts.pop().trim();
        var kept = parts.map(function (part) { return part.trim(); }).filter(Boolean);
        if (typed.length < 2) {
          return;
        }
        fetch(box.getAttribute("data-cohort-search") + "?q=" + encodeURIComponent(typed), {
          credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.innerHTML = "";
            data.cohorts.forEach(function (cohort) {
              var option = document.createElement("option");
              option.value = kept.concat([cohort.idnumber]).join(", ");
              option.label = cohort.idnumber + " — " + cohort.label +
                (cohort.campus ? " (" + cohort.campus + ")" : "");
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
})();
