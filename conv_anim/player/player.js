(function () {
  "use strict";
  function init(root) {
    root.setAttribute("data-ready", "");
    var data = JSON.parse(root.querySelector(".ca-data").textContent);
    var cells = Array.prototype.slice.call(root.querySelectorAll(".ca-cell"));
    var patch = root.querySelector(".ca-patch"), status = root.querySelector(".ca-status");
    var scrub = root.querySelector("[data-action=scrub]");
    var speed = root.querySelector("[data-action=speed]");
    var play = root.querySelector("[data-action=play]");
    var count = data.keys.length, step = 0, timer = null, hover = -1, pinned = -1;
    var stepOf = {}, readers = cells.map(function () { return []; });
    data.keys.forEach(function (cell, n) { stepOf[cell] = n; });
    data.links.forEach(function (cells, n) {
      cells.forEach(function (cell) { readers[cell].push(n); });
    });
    function render() {
      var cell = hover >= 0 ? hover : pinned, isKey = cell in stepOf;
      var shown = isKey ? stepOf[cell] : step, p = data.patches[shown], active = {};
      root.setAttribute("data-step", shown);
      ["x", "y", "width", "height"].forEach(function (name, i) { patch.setAttribute(name, p[i]); });
      patch.setAttribute("viewBox", [p[4], p[5], p[2] || 1, p[3] || 1].join(" "));
      scrub.value = shown;
      scrub.setAttribute("aria-valuetext", "step " + (shown + 1) + " of " + count);
      root.querySelector(".ca-counter").textContent = (shown + 1) + " / " + count;
      var label = cells[data.keys[shown]].getAttribute("data-label");
      var text = label + (data.sums ? ": " + data.sums[shown] : "");
      if (isKey) {
        active[cell] = true;
        data.links[shown].forEach(function (linked) { active[linked] = true; });
      } else if (cell >= 0) {
        var n = readers[cell].length, words = data.linkWords;
        readers[cell].forEach(function (reader) { active[data.keys[reader]] = true; });
        text = cells[cell].getAttribute("data-label") + ": " + words[0] + " " + n + " " +
          words[n === 1 ? 1 : 2];
      }
      cells.forEach(function (el, i) {
        el.classList.toggle("active", !!active[i]);
        el.classList.toggle("hovered", i === cell);
      });
      status.textContent = text;
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = "Play";
      status.setAttribute("aria-live", "polite");
    }
    function start() {
      clearInterval(timer);
      timer = setInterval(function () { step = (step + 1) % count; render(); },
                          1000 / (data.fps * parseFloat(speed.value)));
      play.textContent = "Pause";
      status.setAttribute("aria-live", "off");
    }
    function go(n) {
      step = ((n % count) + count) % count;
      pinned = -1;
      stop();
      render();
    }
    function shown() { return parseInt(root.getAttribute("data-step"), 10); }
    root.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-action");
      var cell = cells.indexOf(event.target);
      if (action === "play") {
        pinned = -1;
        if (timer) { stop(); } else { start(); }
        render();
      } else if (action === "prev" || action === "next") {
        go(shown() + (action === "next" ? 1 : -1));
      } else if (cell >= 0) {
        pinned = pinned === cell ? -1 : cell;
        if (cell in stepOf) { step = stepOf[cell]; stop(); }
        render();
      }
    });
    root.addEventListener("pointerover", function (event) {
      hover = cells.indexOf(event.target);
      render();
    });
    root.addEventListener("pointerout", function () { hover = -1; render(); });
    scrub.addEventListener("input", function () { go(parseInt(scrub.value, 10)); });
    speed.addEventListener("change", function () { if (timer) { start(); } });
    root.addEventListener("keydown", function (event) {
      var tag = event.target.tagName;
      if (tag === "INPUT" || tag === "SELECT") { return; }
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        go(shown() + (event.key === "ArrowRight" ? 1 : -1));
      } else if (event.key === " " && tag !== "BUTTON") {
        play.click();
      } else {
        return;
      }
      event.preventDefault();
    });
    render();
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (data.autoplay && !still) { start(); }
  }
  document.querySelectorAll(".conv-anim-player:not([data-ready])").forEach(init);
})();
