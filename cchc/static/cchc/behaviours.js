/* Small page behaviours without inline event handlers (the Content-Security-Policy blocks onclick="…"):
   data-confirm="Câu hỏi?"   on a form or a button: ask before submitting, cancel on "Hủy"
   data-autosubmit           on a select/input: submit its form when the value changes
   data-select-on-click      on an input: select its text when clicked (copying a link)
   data-no-submit            on a form: never submitted by the browser (htmx drives it)
   details.navgroup          the main menu's groups: one open at a time; a click elsewhere or Esc closes them */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var asking = target.closest("button[data-confirm], a[data-confirm], input[type=submit][data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var selecting = target.closest("[data-select-on-click]");
    if (selecting && typeof selecting.select === "function") selecting.select();
    // the main menu's groups: one open at a time, closed by a click elsewhere
    var group = target.closest("details.navgroup");
    document.querySelectorAll("details.navgroup[open]").forEach(function (open) {
      if (open !== group) open.removeAttribute("open");
    });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.navgroup[open]").forEach(function (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute("data-no-submit")) { event.preventDefault(); return; }
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target instanceof Element ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) field.form.submit();
  });
})();
