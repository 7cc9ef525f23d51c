// The request page follows its jobs without a reload: it asks the small progress view every few
// seconds and replaces the status and timeline, until the request is finished.
(function () {
  "use strict";
  var box = document.getElementById("request-progress");
  if (!box || box.getAttribute("data-finished") === "1") {
    return;
  }
  var url = box.getAttribute("data-progress-url");
  var delay = 2000;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        box.innerHTML = data.html;
        if (data.finished) {
          box.setAttribute("data-finished", "1");
          return;
        }
        delay = 2000;
        setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);
        setTimeout(poll, delay);
      });
  }
  setTimeout(poll, delay);
})();
