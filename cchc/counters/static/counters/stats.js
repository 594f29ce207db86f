/* Queue statistics chart: arrivals per hour (bars) and mean waiting / service minutes (lines). */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("queue-chart"), canvas = document.getElementById("chart-hours");
    if (!el || !canvas || !window.Chart) return;
    var d = JSON.parse(el.textContent);
    new window.Chart(canvas, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: "Lượt lấy số", data: d.arrivals, yAxisID: "y", backgroundColor: "#9cc3ea" },
          { type: "line", label: "Chờ bình quân (phút)", data: d.wait, yAxisID: "y1", borderColor: "#c0392b", backgroundColor: "#c0392b" },
          { type: "line", label: "Phục vụ bình quân (phút)", data: d.service, yAxisID: "y1", borderColor: "#1f6f3f", backgroundColor: "#1f6f3f" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "lượt" } },
                  y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "phút" } } }
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
