// Warns before an idle session is logged out (fostercare.middleware.SessionTimeoutMiddleware).
// The limits come from data attributes on <body>; the notice goes into an aria-live region
// so screen readers announce it. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout, 10);
  var warning = parseInt(body.dataset.idleWarning, 10);
  var keepaliveUrl = body.dataset.keepaliveUrl;
  var region = document.getElementById("session-notice");
  var template = document.getElementById("session-warning");
  if (!timeout || !region || !template) {
    return;
  }
  var warnTimer = null;
  var endTimer = null;

  function hideNotice() {
    region.replaceChildren();
  }

  function showNotice() {
    region.replaceChildren(template.content.cloneNode(true));
    var button = region.querySelector("[data-session-keepalive]");
    button.addEventListener("click", function () {
      // a logged-out session answers with a redirect to the login page: reload to show it
      fetch(keepaliveUrl, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (response.ok) {
          restart();
        } else {
          window.location.reload();
        }
      });
    });
  }

  function restart() {
    hideNotice();
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    if (warning > 0 && warning < timeout) {
      warnTimer = window.setTimeout(showNotice, (timeout - warning) * 1000);
    }
    // A moment after the limit the server has ended the session: reloading shows the
    // login page with its message instead of a page that no longer works.
    endTimer = window.setTimeout(function () {
      window.location.reload();
    }, (timeout + 5) * 1000);
  }

  // Requests made by htmx count as activity on the server too.
  document.addEventListener("htmx:afterRequest", restart);
  restart();
})();
