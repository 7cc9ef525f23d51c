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
})();
