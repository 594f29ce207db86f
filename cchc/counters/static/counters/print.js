/* Ticket page: the "In phiếu" button prints the ticket (80 mm thermal layout in queue.css @media print). */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-print]");
    if (b) window.print();
  });
})();
