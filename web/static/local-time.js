// Shows each exact time (time[data-local]) in the reader's own timezone.
// The server's text (UTC and the track's local time) stays as the title,
// and is what readers without script see.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // en-GB parts are assembled by hand so the text reads the same in every
  // browser: "2 June 2025, 06:00 your time (America/New_York)".
  var format = new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var times = document.querySelectorAll("time[data-local]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i];
    var at = new Date(el.getAttribute("datetime"));
    if (isNaN(at.getTime())) {
      continue;
    }
    var p = {};
    var parts = format.formatToParts(at);
    for (var j = 0; j < parts.length; j++) {
      p[parts[j].type] = parts[j].value;
    }
    el.title = el.textContent;
    el.textContent = p.day + " " + p.month + " " + p.year + ", " + p.hour + ":" + p.minute +
      " your time (" + zone + ")";
  }
})();
