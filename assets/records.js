/* A record opened by a click on a chart, or on a message in the list, comes into view and
   takes the focus: the record may stand far from the mark that opened it (beside the network,
   above the timeline), and the list it replaces took the focus with it. Only a record that a
   click asked for moves the page; one that a link opened is left where the page put it. */
(function () {
  "use strict";

  var askedAt = 0;
  var WAIT_MS = 8000;

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest(".chart, .record-link")) {
      askedAt = Date.now();
    }
  }, true);

  function show() {
    if (!askedAt) { return; }
    if (Date.now() - askedAt > WAIT_MS) { askedAt = 0; return; }
    var details = document.getElementById("details");
    var record = details && details.querySelector(".record");
    if (!record || details.offsetParent === null) { return; }
    askedAt = 0;
    var heading = details.querySelector("h2") || record;
    heading.setAttribute("tabindex", "-1");
    heading.scrollIntoView({ block: "nearest" });
    heading.focus({ preventScroll: true });
  }

  function start() {
    new MutationObserver(show).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
