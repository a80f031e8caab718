/* explainer serve only (never in a built site): shows the data's errors over the page and
 * reloads the page when a new version of the preview is ready.
 *
 * Polls /_explainer/status.json, which `explainer serve` keeps in memory:
 *   {"generation": N, "ok": bool, "errors": [{"where", "severity", "message"}], "count": N}
 * - errors: a banner at the top of the page lists them (as text, never as markup); the page
 *   beneath stays the last good version.
 * - a new generation (a valid save was built): the page reloads, so a page that was a 404
 *   (a record not valid yet) becomes the record's page by itself.
 */
(function () {
  "use strict";
  var STATUS = "/_explainer/status.json";
  var EVERY_MS = 100;
  var shown = null; // the generation this page was loaded at
  var banner = null;

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showErrors(status) {
    if (!banner) {
      banner = make("section", "explainer-preview-banner");
      banner.setAttribute("role", "alert");
      banner.setAttribute("aria-labelledby", "explainer-preview-title");
      banner.setAttribute("data-pagefind-ignore", "all");
      document.body.insertBefore(banner, document.body.firstChild);
    }
    var errors = status.errors || [];
    var key = JSON.stringify(errors);
    if (banner.getAttribute("data-key") === key) return;
    banner.setAttribute("data-key", key);
    banner.textContent = "";
    var title = make("h2", "explainer-preview-banner__title");
    title.id = "explainer-preview-title";
    var count = status.count || errors.length;
    title.textContent =
      "The data has " + count + (count === 1 ? " problem" : " problems") +
      ": this preview shows the last valid version until it is fixed";
    banner.appendChild(title);
    var list = make("ul", "explainer-preview-banner__list");
    errors.forEach(function (error) {
      var item = make("li");
      item.appendChild(make("code", "explainer-preview-banner__where", error.where));
      item.appendChild(document.createTextNode(" " + error.severity + ": " + error.message));
      list.appendChild(item);
    });
    if (count > errors.length) {
      list.appendChild(make("li", null, "… and " + (count - errors.length) + " more in the terminal"));
    }
    banner.appendChild(list);
  }

  function hideErrors() {
    if (banner) {
      banner.remove();
      banner = null;
    }
  }

  function poll() {
    fetch(STATUS, { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status) return;
        if (shown === null) shown = status.generation;
        if (status.ok && status.generation !== shown) {
          location.reload();
          return;
        }
        if (status.ok) hideErrors();
        else showErrors(status);
      })
      .catch(function () {
        /* serve stopped or is restarting: try again */
      })
      .then(function () {
        window.setTimeout(poll, EVERY_MS);
      });
  }

  poll();
})();
