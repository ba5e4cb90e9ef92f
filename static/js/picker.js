// Search pickers (fostercare/pickers.py): the WAI-ARIA combobox pattern over the options
// htmx loads into the listbox. Up/Down move, Enter chooses, Escape closes; the number of
// results is said in the live region. A multiple picker adds the chosen one to its list of
// checked boxes and empties the search for the next.
(function () {
  "use strict";

  function parts(input) {
    var root = input.closest("[data-picker]");
    return {
      root: root,
      list: document.getElementById(input.getAttribute("aria-controls")),
      value: root.querySelector("[data-picker-value]"),
      status: root.querySelector("[data-picker-status]"),
    };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function close(input) {
    var p = parts(input);
    p.list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, index) {
    var p = parts(input);
    var all = options(p.list);
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(input, option) {
    var p = parts(input);
    if (p.root.hasAttribute("data-picker-multiple")) {
      add(input, p, option);
    } else {
      p.value.value = option.getAttribute("data-value");
      input.value = option.textContent;
      p.status.textContent = option.textContent;
    }
    close(input);
  }

  // A multiple picker: the chosen one becomes a checked box in the list above the search.
  function add(input, p, option) {
    var pk = option.getAttribute("data-value");
    var id = input.id + "-" + pk;
    var box = document.getElementById(id);
    if (!box) {
      var item = document.createElement("li");
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = p.root.getAttribute("data-picker-name");
      box.value = pk;
      box.id = id;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = option.textContent;
      item.appendChild(box);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(label);
      p.root.querySelector("[data-picker-chosen]").appendChild(item);
    }
    box.checked = true;
    input.value = "";
    p.list.innerHTML = "";
    p.status.textContent =
      option.textContent + " " + (p.root.getAttribute("data-picker-added") || "");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list || list.getAttribute("role") !== "listbox") return;
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (!input) return;
    var count = list.querySelector("[data-picker-count]");
    parts(input).status.textContent = count ? count.textContent : "";
    var any = options(list).length > 0;
    list.hidden = !any;
    input.setAttribute("aria-expanded", any ? "true" : "false");
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-picker-input]")) return;
    var value = parts(input).value;
    if (value) value.value = ""; // typing again unchooses (a single picker)
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-picker-input]")) return;
    var p = parts(input);
    var all = options(p.list);
    var current = all.findIndex(function (o) {
      return o.getAttribute("aria-selected") === "true";
    });
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      p.list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(input, Math.min(current + 1, all.length - 1));
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      highlight(input, Math.max(current - 1, 0));
    } else if (event.key === "Enter" && !p.list.hidden && current >= 0) {
      event.preventDefault();
      choose(input, all[current]);
    } else if (event.key === "Escape") {
      close(input);
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    if (!option) return;
    var list = option.closest('[role="listbox"]');
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (input) choose(input, option);
  });
})();
