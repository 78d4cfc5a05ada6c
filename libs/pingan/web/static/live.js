// Tells the user when what they look at has changed; the page itself needs no script.
(function () {
  "use strict";
  var print = document.querySelectorAll("[data-print]");
  for (var i = 0; i < print.length; i++) {
    print[i].hidden = false;
    print[i].addEventListener("click", function () { window.print(); });
  }
  var badge = document.getElementById("live");
  if (!badge || !window.EventSource) { return; }
  var words = document.documentElement.lang === "en"
    ? "Something changed: reload to see it" : "有新变化,刷新查看";
  var source = new EventSource(badge.getAttribute("data-live"));
  source.addEventListener("changed", function () {
    badge.hidden = false;
    badge.textContent = words;
  });
})();
