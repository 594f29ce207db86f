// Keyboard-first one-stop desk: "/" or F2 focuses the procedure search; ↓/↑ walk the hits; Enter on a
// highlighted hit opens it; Esc goes back to the search box. Enter in the box never guesses: it opens a
// procedure only when the server marked the one the query names exactly (its code or whole name,
// data-exact), otherwise it moves the focus to the list. When the list is older than the text in the box
// (typed faster than the search answered) the search runs first and Enter is applied to its answer.
// No framework; htmx does the requests.
(function () {
  var pendingEnter = false;
  function search() { return document.getElementById("procedure-q"); }
  function list() { return document.querySelector("#hits ul.hits"); }
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("#hits a.hit")); }
  function fresh(box) {
    var ul = list();
    return !!ul && (ul.getAttribute("data-q") || "").trim() === box.value.trim();
  }
  function enter(box) {
    var ul = list();
    var exact = ul && ul.getAttribute("data-exact");
    var all = hits();
    if (exact) {
      var target = all.filter(function (a) { return a.getAttribute("data-code") === exact; })[0];
      if (target) { target.click(); return; }
    }
    if (all.length) { all[0].focus(); }
  }
  document.addEventListener("keydown", function (ev) {
    var box = search();
    var tag = (ev.target && ev.target.tagName) || "";
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
    if (box && (ev.key === "F2" || (ev.key === "/" && !typing))) {
      ev.preventDefault(); box.focus(); box.select(); return;
    }
    if (!box) return;
    var all = hits();
    if (ev.target === box && ev.key === "Enter") {
      ev.preventDefault();
      if (!box.value.trim()) return;
      if (fresh(box)) { enter(box); }
      else { pendingEnter = true; htmx.trigger(box, "search-now"); }
      return;
    }
    if (ev.target === box && ev.key === "ArrowDown" && all.length) { ev.preventDefault(); all[0].focus(); return; }
    if (ev.target === box && ev.key === "Escape") { box.select(); return; }
    var i = all.indexOf(ev.target);
    if (i >= 0) {
      if (ev.key === "ArrowDown" && i + 1 < all.length) { ev.preventDefault(); all[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? all[i - 1] : box).focus(); }
      else if (ev.key === "Escape") { ev.preventDefault(); box.focus(); }
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (ev) {
    var target = ev.detail.target;
    if (target && target.id === "hits" && pendingEnter) {
      pendingEnter = false;
      var box = search();
      if (box && fresh(box)) enter(box);
    }
    // After the intake form is swapped in, put the cursor on the applicant's name.
    if (target && target.id === "intake") {
      var first = document.querySelector("#intake [autofocus]") || document.querySelector("#intake input[name=applicant_name]");
      if (first) first.focus();
      target.scrollIntoView({block: "start"});
    }
  });
})();
