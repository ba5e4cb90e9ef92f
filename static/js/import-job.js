// Refreshes a running import's page (fostercare.imports) until it has ended: the status
// sits in an aria-live region, so screen readers hear the progress and the result.
(function () {
  "use strict";
  function refresh() {
    var job = document.getElementById("import-job");
    var delay = job && parseInt(job.dataset.refresh, 10);
    if (!delay) {
      return;
    }
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-job");
          if (fresh) {
            // the live region stays in place and only its content changes, so it is read out
            job.replaceChildren.apply(job, Array.from(fresh.childNodes));
            job.dataset.refresh = fresh.dataset.refresh || "";
          }
          refresh();
        })
        .catch(function () {
          window.setTimeout(refresh, delay);
        });
    }, delay);
  }
  refresh();
})();
