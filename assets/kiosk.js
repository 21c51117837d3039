/* Dispatches exhibit: the kiosk's idle timer, guards against a visitor's stray gestures,
   focus kept on the story controls, and playback that does not flood the browser history.
   Served locally from assets/ like every other file; it writes the URL only through Dash. */
(function () {
  "use strict";

  var ROOT = "root";
  var CONFIG = "kiosk-config";
  var IDLE_STORE = "kiosk-idle";
  var COVER = "kiosk-wake";
  var PLAY = "play";
  var CLOCK = "play-clock";
  var DEFAULT_IDLE_SECONDS = 90;
  var lastActivity = Date.now();

  function onKiosk() {
    var root = document.getElementById(ROOT);
    return Boolean(root && root.classList.contains("page-kiosk"));
  }

  function idleSeconds() {
    var config = document.getElementById(CONFIG);
    var seconds = config ? parseFloat(config.getAttribute("data-idle-seconds")) : NaN;
    return seconds > 0 ? seconds : DEFAULT_IDLE_SECONDS;
  }

  function attracting() {
    var cover = document.getElementById(COVER);
    return Boolean(cover && !cover.hidden);
  }

  // A visitor watching the playback they started is still there.
  function playing() {
    var button = document.getElementById(PLAY);
    return Boolean(button && button.textContent.indexOf("Pause") >= 0);
  }

  // Any touch, click, key or scroll counts as a visitor being there.
  ["pointerdown", "keydown", "wheel", "touchstart", "input"].forEach(function (type) {
    window.addEventListener(type, function () { lastActivity = Date.now(); },
      { capture: true, passive: true });
  });

  // While playback runs, a visitor's own change must reach the server before the next tick:
  // the browser keeps only the newest request of a callback, and a tick sent meanwhile reads
  // the old URL, so it would undo the change. So a touch or key on a control holds the clock
  // until the app answers (the page re-enables it from the URL), or, if the touch changed
  // nothing, for a few seconds: long enough for a busy server to answer first.
  // Dash's slider and date picker draw their bars and day cells without a role: named here.
  var CONTROLS = "button, a, input, label, select, [role='slider'], [role='option'], " +
    ".dash-slider-root, .dash-datepicker, .dash-dropdown, .js-plotly-plot";
  var HOLD_MS = 4000;
  var resumeClock = null;
  function holdClock(event) {
    if (!playing() || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    if (!event.target.closest || !event.target.closest(CONTROLS)) { return; }
    window.dash_clientside.set_props(CLOCK, { disabled: true });
    window.clearTimeout(resumeClock);
    resumeClock = window.setTimeout(function () {
      if (playing()) { window.dash_clientside.set_props(CLOCK, { disabled: false }); }
    }, HOLD_MS);
  }
  ["pointerdown", "keydown"].forEach(function (type) {
    window.addEventListener(type, holdClock, { capture: true, passive: true });
  });

  // Idle: tell the app (through a dcc.Store, so the one URL-owning callback decides what the
  // start is) and put the page back at its top with nothing open.
  setInterval(function () {
    if (!onKiosk() || attracting() || playing() || !window.dash_clientside ||
        !window.dash_clientside.set_props) {
      lastActivity = Date.now();
      return;
    }
    if (Date.now() - lastActivity < idleSeconds() * 1000) {
      return;
    }
    lastActivity = Date.now();
    if (document.activeElement && document.activeElement !== document.body) {
      document.activeElement.blur();
    }
    document.querySelectorAll("details[open]").forEach(function (el) { el.open = false; });
    window.scrollTo(0, 0);
    window.dash_clientside.set_props(IDLE_STORE, { data: Date.now() });
  }, 500);

  // Guards for the kiosk: no context menu on a long press, no zoom by ctrl+wheel or keys,
  // no dragging of links and images. Pinch zoom is off in CSS (touch-action).
  window.addEventListener("contextmenu", function (event) {
    if (onKiosk()) { event.preventDefault(); }
  });
  window.addEventListener("wheel", function (event) {
    if (onKiosk() && event.ctrlKey) { event.preventDefault(); }
  }, { passive: false });
  window.addEventListener("keydown", function (event) {
    var zoomKey = ["+", "-", "=", "0"].indexOf(event.key) >= 0;
    if (onKiosk() && (event.ctrlKey || event.metaKey) && zoomKey) { event.preventDefault(); }
  });
  window.addEventListener("dragstart", function (event) {
    if (onKiosk()) { event.preventDefault(); }
  });
  document.addEventListener("gesturestart", function (event) {
    if (onKiosk()) { event.preventDefault(); }
  });

  // The story's buttons hide or disable themselves (Start becomes Next, Leave disappears);
  // when the one that had keyboard focus goes, give focus to the next story control.
  var RESCUERS = "#story-next, #story-back, #story-exit, #kiosk-wake";
  var HEIRS = ["story-next", "story-back", "play"];
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(RESCUERS)) { return; }
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      var active = document.activeElement;
      if (!active || active === document.body) {
        var heir = HEIRS.map(function (id) { return document.getElementById(id); })
          .filter(function (el) { return el && !el.hidden && !el.disabled && el.offsetParent; })[0];
        if (heir) { heir.focus(); }
        clearInterval(timer);
      } else if (tries > 30) {
        clearInterval(timer);
      }
    }, 100);
  });

  // The day slider's tooltip: its number is a day of the period, whose first day the slider's
  // box gives (data-first-day). Dash looks the function up by name in window.dccFunctions.
  window.dccFunctions = window.dccFunctions || {};
  window.dccFunctions.dispatchesDay = function (offset) {
    var box = document.querySelector("[data-first-day]");
    if (!box || isNaN(offset)) { return String(offset); }
    var day = new Date(box.getAttribute("data-first-day") + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + Number(offset));
    return day.toLocaleDateString("en-GB",
      { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  };

  // Playback moves the `day` of the URL several times a second. While it plays, those steps,
  // and the pause or the stop at the last day, replace the history entry instead of adding
  // one: a whole playback is one entry, and Back leaves it instead of rewinding it a day at
  // a time. Any other change of the URL is a new entry, as before.
  var pushState = window.history.pushState.bind(window.history);
  function onlyPlaybackMoved(url) {
    var next = new URL(url, window.location.href);
    var now = new URL(window.location.href);
    if (next.pathname !== now.pathname || now.searchParams.get("play") !== "on") { return false; }
    var a = next.searchParams;
    var b = now.searchParams;
    ["day", "play"].forEach(function (key) { a.delete(key); b.delete(key); });
    return a.toString() === b.toString();
  }
  window.history.pushState = function (state, title, url) {
    if (url && onlyPlaybackMoved(url)) {
      return window.history.replaceState(state, title, url);
    }
    return pushState(state, title, url);
  };
}());
