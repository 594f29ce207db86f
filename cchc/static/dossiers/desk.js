// Keyboard-first one-stop desk: "/" or F2 focuses the procedure search, Enter opens the first hit,
// ↓/↑ walk the hits, Esc goes back to the search box. No framework; htmx does the requests.
(function () {
  function search() { return document.getElementById("procedure-q"); }
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("#hits a.hit")); }
  document.addEventListener("keydown", function (ev) {
    var box = search();
    var tag = (ev.target && ev.target.tagName) || "";
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
    if (box && (ev.key === "F2" || (ev.key === "/" && !typing))) {
      ev.preventDefault(); box.focus(); box.select(); return;
    }
    if (!box) return;
    var list = hits();
    if (ev.target === box && ev.key === "Enter") {
      ev.preventDefault();
      if (list.length) { list[0].click(); }
      else if (box.value.trim()) { htmx.trigger(box, "search-now"); }
      return;
    }
    if (ev.target === box && ev.key === "ArrowDown" && list.length) { ev.preventDefault(); list[0].focus(); return; }
    var i = list.indexOf(ev.target);
    if (i >= 0) {
      if (ev.key === "ArrowDown" && i + 1 < list.length) { ev.preventDefault(); list[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? list[i - 1] : box).focus(); }
      else if (ev.key === "Escape") { box.focus(); }
    }
  });
  // After the intake form is swapped in, put the cursor on the applicant's name.
  document.body.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "intake") {
      var first = document.querySelector("#intake [autofocus]") || document.querySelector("#intake input[name=applicant_name]");
      if (first) first.focus();
      ev.detail.target.scrollIntoView({block: "start"});
    }
  });
})();
