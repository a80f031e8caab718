/* The explainer's small scripts: an accessible name for the search dialog, and the timeline
   filter (show the events of one kind; without JavaScript every event is shown). */
(function () {
  "use strict";
  function nameSearchDialog() {
    /* Material's search is a role="dialog" without a name (axe: aria-dialog-name). */
    var dialog = document.querySelector(".md-search[role='dialog']");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
    }
  }
  function setUp() {
    nameSearchDialog();
    setUpFilter();
  }
  function setUpFilter() {
    var filter = document.querySelector(".x-filter");
    if (!filter || filter.dataset.ready) { return; }
    filter.dataset.ready = "1";
    filter.hidden = false;
    var buttons = filter.querySelectorAll("button[data-kind]");
    function show(kind) {
      buttons.forEach(function (button) {
        var on = button.dataset.kind === kind;
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("md-button--primary", on);
      });
      document.querySelectorAll(".x-month").forEach(function (month) {
        var shown = 0;
        month.querySelectorAll("li[data-kind]").forEach(function (item) {
          var visible = !kind || item.dataset.kind === kind;
          item.hidden = !visible;
          if (visible) { shown += 1; }
        });
        month.hidden = shown === 0;
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () { show(button.dataset.kind); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
