// Status messages and focus for htmx updates (WCAG 4.1.3, 2.4.3) and the form error summary.
// - A response may carry HX-Trigger {"announce": "..."} (fostercare.htmx.announce): the text
//   goes into the page's polite live region (#live-status in base.html).
// - A swapped part may hold [data-announce]: its text is announced the same way.
// - After a swap, focus stays where the user acted: the element with the same id (or name
//   and value) in the new content; failing that, the swapped region itself.
// - An error summary ([data-error-summary]) takes focus when it appears.
(function () {
  "use strict";
  var region = document.getElementById("live-status");
  var remembered = null;

  function announce(text) {
    if (!region || !text) {
      return;
    }
    // Empty first, then fill: screen readers announce a change, not a repeated same text.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }

  // A table box that scrolls sideways is reachable and named for keyboard and screen-reader
  // users (axe: scrollable-region-focusable): tabindex=0, role=region and a label taken from
  // the table's caption or aria-label, or the nearest heading before it.
  function labelFor(box) {
    var table = box.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    if (table && table.getAttribute("aria-label")) {
      return table.getAttribute("aria-label");
    }
    var node = box;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        var heading = /^H[1-6]$/.test(previous.tagName)
          ? previous : previous.querySelector && previous.querySelector("h1,h2,h3,h4,h5,h6");
        if (heading && heading.textContent.trim()) {
          return heading.textContent.trim();
        }
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }

  function markScrollingTables(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (box) {
      if (!box.hasAttribute("role")) {
        box.setAttribute("role", "region");
      }
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", labelFor(box));
      }
      if (box.dataset.focusSet || !box.hasAttribute("tabindex")) {
        // only a box that scrolls is a tab stop
        if (box.scrollWidth > box.clientWidth + 1) {
          box.setAttribute("tabindex", "0");
          box.dataset.focusSet = "1";
        } else if (box.dataset.focusSet) {
          box.removeAttribute("tabindex");
          delete box.dataset.focusSet;
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markScrollingTables(document);
    focusSummary(document);
  });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () { markScrollingTables(document); }, 150);
  });

  // The compact header on phones: the menu folds behind a button (CSS shows the button and
  // hides the closed menu below 48rem only). Without this script the menu simply shows.
  var toggle = document.querySelector(".nav-toggle");
  var menu = document.getElementById("main-nav");
  if (toggle && menu) {
    toggle.hidden = false;
    document.documentElement.classList.add("nav-collapsible");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
  }

  document.body.addEventListener("announce", function (event) {
    var detail = event.detail;
    announce(typeof detail === "string" ? detail : detail && detail.value);
  });

  // Remember the control the user acted on when the swap is about to replace it; a poll
  // (the invoice run's progress) swaps elsewhere and leaves focus alone.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    remembered = null;
    if (active && active !== document.body && target &&
        (target.contains(active) || active === event.detail.elt)) {
      remembered = { id: active.id, name: active.getAttribute("name"),
                     value: active.getAttribute("value") };
    }
  });

  function sameControl(memo) {
    if (memo.id) {
      var byId = document.getElementById(memo.id);
      if (byId) {
        return byId;
      }
    }
    if (memo.name) {
      var selector = '[name="' + CSS.escape(memo.name) + '"]';
      if (memo.value !== null) {
        selector += '[value="' + CSS.escape(memo.value) + '"]';
      }
      return document.querySelector(selector);
    }
    return null;
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var root = target && target.isConnected ? target : document;
    markScrollingTables(document);
    root.querySelectorAll("[data-announce]").forEach(function (node) {
      announce(node.textContent.trim());
    });
    if (focusSummary(root)) {
      remembered = null;
      return;
    }
    var memo = remembered;
    remembered = null;
    if (!memo || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var control = sameControl(memo);
    if (control) {
      control.focus();
    } else if (root !== document) {
      if (!root.hasAttribute("tabindex")) {
        root.setAttribute("tabindex", "-1");
      }
      root.focus();
    }
  });
})();
