// Hand-over picker (chuyển xử lý / phân công): the picker is redrawn by htmx when the unit or a search text
// changes. Requests are serialised by hx-sync (a newer one replaces the one in flight); this keeps the
// officer chosen while a redraw was on its way: the request carried the choice made before it was sent,
// so after the swap the choice made meanwhile is restored when the new list still offers that officer.
(function () {
  var chosen = {};
  function isPicker(el) { return el && el.classList && el.classList.contains("handover-picker"); }
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail.target;
    if (!isPicker(target)) return;
    var select = target.querySelector("select[name=assignee]");
    chosen[target.id] = select ? select.value : "";
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    var id = ev.detail.target && ev.detail.target.id;
    if (!id || !(id in chosen)) return;
    var value = chosen[id];
    delete chosen[id];
    var picker = document.getElementById(id);
    var select = picker && picker.querySelector("select[name=assignee]");
    if (!select || !value || select.value === value) return;
    var keep = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (keep) select.value = value;
  });
})();
