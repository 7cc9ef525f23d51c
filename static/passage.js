// Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy can
// refuse inline scripts: a <select data-autosubmit> sends its form as soon as it changes.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
})();
