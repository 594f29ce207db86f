/* Display board: htmx replaces #board-live every 2.5 s; after each swap, calls not seen before are spoken
   ("Mời số A012 đến quầy số 3") with the browser's speech synthesis in Vietnamese when the TV's browser has it.
   Browsers block sound until a person interacts, so a button turns the announcements on. */
(function () {
  "use strict";
  var seen = {}, enabled = false, first = true;
  var synth = window.speechSynthesis;

  function voice() {
    if (!synth) return null;
    var vs = synth.getVoices();
    for (var i = 0; i < vs.length; i++) if (/^vi/i.test(vs[i].lang)) return vs[i];
    return null;
  }

  function say(text) {
    if (!enabled || !synth || !window.SpeechSynthesisUtterance) return;
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "vi-VN";
    u.rate = 0.9;
    var v = voice();
    if (v) u.voice = v;
    synth.speak(u);
  }

  function spell(code) { // "A012" -> "A, 0 1 2" so the digits are read one by one, as centres announce them
    return code.replace(/^([A-Z]+)0*(\d+)$/, function (_, p, n) { return p + " " + n; });
  }

  function scan() {
    var cells = document.querySelectorAll("[data-call]");
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i], id = c.getAttribute("data-call");
      if (seen[id]) continue;
      seen[id] = true;
      if (!first) {
        c.classList.add("flash");
        say("Mời số " + spell(c.getAttribute("data-code")) + " đến quầy số " + c.getAttribute("data-counter"));
      }
    }
    first = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var b = document.getElementById("bat-am-thanh");
    if (b) {
      if (!synth) { b.textContent = "Trình duyệt không hỗ trợ đọc số"; b.disabled = true; }
      b.addEventListener("click", function () {
        enabled = !enabled;
        b.setAttribute("aria-pressed", enabled ? "true" : "false");
        b.textContent = enabled ? "🔊 Đang bật âm thanh" : "🔈 Bật âm thanh gọi số";
        if (enabled) say("Đã bật âm thanh gọi số");
      });
    }
    scan();
  });
  document.body.addEventListener("htmx:afterSwap", scan);
})();
