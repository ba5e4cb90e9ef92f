// The admin's autocomplete (select2) draws a search box inside a multiple choice without
// a label: name it after the field's own label, whenever select2 (re)draws it.
(function () {
  "use strict";
  function labelSearchFields(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      var container = input.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label) input.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelSearchFields(document);
    new MutationObserver(function () { labelSearchFields(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
