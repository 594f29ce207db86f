/* Every chart reads numbers the Vietnamese way (1.234,5): Chart.js formats axis ticks and tooltips with
   Intl.NumberFormat(options.locale), so the locale is set once here for all charts of the platform.
   Loaded (defer) right after vendor/chart.umd.min.js through templates/_chartjs.html. */
(function () {
  "use strict";
  if (!window.Chart) return;
  window.Chart.defaults.locale = "vi-VN";
})();
