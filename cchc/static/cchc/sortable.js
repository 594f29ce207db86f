/* Bảng sắp xếp được: a click on a header of a <table class="sortable"> sorts its body rows by that column
   (again: reversed). A cell's data-sort (a plain number) wins over its text; text numbers are read the
   Vietnamese way (1.234,5); empty or "—" cells go last in either direction. Rows of <tfoot> stay put.
   Server-sorted tables (the dashboard's table by unit) do not use this. */
(function () {
  "use strict";
  function value(cell) {
    if (!cell) return null;
    if (cell.hasAttribute("data-sort")) {
      const given = cell.getAttribute("data-sort");
      return given === "" ? null : (/^-?\d+(\.\d+)?$/.test(given) ? parseFloat(given) : given.toLocaleLowerCase("vi"));
    }
    const raw = cell.textContent.trim();
    if (raw === "" || raw === "—") return null;
    const num = raw.replace(/\s|%/g, "").replace(/\./g, "").replace(",", ".");
    if (/^-?\d+(\.\d+)?$/.test(num)) return parseFloat(num);
    return raw.toLocaleLowerCase("vi");
  }
  function sortBy(table, th, index) {
    const body = table.tBodies[0];
    if (!body) return;
    const asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    const rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.cells.length > index; });
    rows.sort(function (a, b) {
      const x = value(a.cells[index]), y = value(b.cells[index]);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "vi");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function init(root) {
    (root || document).querySelectorAll("table.sortable").forEach(function (table) {
      if (table.dataset.sortableReady) return;
      table.dataset.sortableReady = "1";
      table.querySelectorAll("thead th").forEach(function (th, index) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "th-sort";
        button.title = "Bấm để sắp xếp theo cột này";
        // look like the header text on every page (set through the CSSOM: allowed by the content security policy)
        ["background", "border", "padding", "margin", "font", "color", "textAlign", "minHeight", "boxShadow"].forEach(function (p) {
          button.style[p] = "inherit";
        });
        button.style.background = "transparent";
        button.style.border = "0";
        button.style.padding = "0";
        button.style.boxShadow = "none";
        button.style.cursor = "pointer";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, th, index); });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
