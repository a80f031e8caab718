/* The explainer's search box: Pagefind's chunked indexes (built by explainer/site/search.py
   into <site>/pagefind/ and <site>/pagefind-docs/), in place of Material's search.

   On page view this script only adds a search button to the header; it loads nothing.
   When the reader opens the search (click, "/" or "s"), it loads Pagefind's pagefind.js
   from this site, and as they type, only the index chunks and result fragments their words
   need. Results appear as they type, with the matched words highlighted (<mark>); the arrow
   keys move through them, Enter opens one, Escape closes the dialog. A row of choices
   filters by kind; the editors' documentation (/about/…) is an index of its own, searched
   (and loaded) only when chosen, and by default on its own pages. A reader's search loads
   nothing of it, and no filter file unless they choose a kind.

   The file lives at <site>/assets/search/search.js: the site's root is two folders up. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("fetch" in window)) return;
  var ROOT = new URL("../../", script.src);
  var BUNDLES = { readers: new URL("pagefind/", ROOT), docs: new URL("pagefind-docs/", ROOT) };
  var PAGE_SIZE = 10;
  var KINDS = [
    ["", "All"],
    ["actor", "Actors"],
    ["event", "Events"],
    ["question", "Questions"],
    ["place", "Places"],
    ["source", "Sources"],
    ["docs", "Documentation"],
  ];
  var LABELS = { actor: "Actor", event: "Event", question: "Question", place: "Place", source: "Source", page: "Page", docs: "Documentation" };
  var ICON =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';

  var loading = {}; // bundle name -> the promise of its loaded Pagefind module
  var dialog, input, list, status, more, opener;
  var shown = []; // the results listed, in order
  var active = -1;
  var results = []; // every result of the current search (fragments not loaded)
  var sequence = 0; // the latest search; older answers are dropped
  var onDocs = location.href.indexOf(new URL("about/", ROOT).href) === 0;
  var kind = onDocs ? "docs" : "";

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    opener = element("button", {
      type: "button",
      class: "md-header__button x-search-open",
      "aria-haspopup": "dialog",
      "aria-keyshortcuts": "/ s",
      title: "Search (/)",
    });
    opener.innerHTML = ICON;
    opener.appendChild(element("span", { class: "x-search-open__label" }, "Search"));
    opener.addEventListener("click", open);
    var header = document.querySelector(".md-header__inner");
    if (!header) return false;
    var before = header.querySelector(".md-header__source");
    header.insertBefore(opener, before);

    dialog = element("dialog", { class: "x-search md-typeset", "aria-labelledby": "x-search-title" });
    var form = element("form", { role: "search", class: "x-search__form" });
    form.appendChild(element("h2", { id: "x-search-title", class: "x-search__title" }, "Search"));
    var field = element("div", { class: "x-search__field" });
    var icon = element("span", { class: "x-search__icon", "aria-hidden": "true" });
    icon.innerHTML = ICON;
    input = element("input", {
      type: "search",
      class: "x-search__input",
      role: "combobox",
      "aria-labelledby": "x-search-title",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": "x-search-results",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      enterkeyhint: "go",
      placeholder: "Type to search",
    });
    var close = element("button", { type: "button", class: "x-search__close", "aria-label": "Close search" }, "\u00d7");
    close.addEventListener("click", function () { dialog.close(); });
    field.append(icon, input, close);
    form.appendChild(field);

    var kinds = element("fieldset", { class: "x-search__kinds" });
    kinds.appendChild(element("legend", { class: "x-search__legend" }, "Show"));
    KINDS.forEach(function (choice) {
      var label = element("label", { class: "x-search__kind" });
      var radio = element("input", { type: "radio", name: "x-search-kind", value: choice[0] });
      radio.checked = choice[0] === kind;
      radio.addEventListener("change", function () {
        kind = radio.value;
        search();
        input.focus();
      });
      label.append(radio, element("span", {}, choice[1]));
      kinds.appendChild(label);
    });
    form.appendChild(kinds);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      go(active >= 0 ? active : 0);
    });

    status = element("p", { class: "x-search__status", role: "status", "aria-live": "polite" });
    list = element("ul", { id: "x-search-results", class: "x-search__results", role: "listbox", "aria-labelledby": "x-search-title" });
    more = element("button", { type: "button", class: "x-search__more", hidden: "" }, "More results");
    more.addEventListener("click", function () { show(shown.length, sequence); });
    dialog.append(form, status, list, more);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("close", function () { opener.focus(); });
    input.addEventListener("input", search);
    input.addEventListener("keydown", keys);
    document.body.appendChild(dialog);
    return true;
  }

  // Each bundle's pagefind.js is a module of its own (its own URL): its own index and worker.
  function bundle() {
    return kind === "docs" ? "docs" : "readers";
  }

  function load() {
    var name = bundle();
    if (!loading[name]) {
      var base = BUNDLES[name];
      loading[name] = import(new URL("pagefind.js", base).href).then(function (module) {
        return module.options({ basePath: base.pathname, excerptLength: 24 }).then(function () {
          module.init();
          return module;
        });
      });
      loading[name].catch(function () {
        loading[name] = null;
        status.textContent = "Search is unavailable: its index did not load.";
      });
    }
    return loading[name];
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  // Only a chosen kind is a filter: Pagefind loads a filter's file (every page's number)
  // the first time a search names it.
  function filters() {
    return kind && kind !== "docs" ? { kind: kind } : {};
  }

  // A search starts once the reader pauses for DEBOUNCE ms: a search Pagefind has started
  // cannot be stopped, and one for a half-typed common word can take longer than the word.
  // Pagefind completes the last word: while it has one or two letters ("Envoy K"), it stands
  // for every word that starts so, and the search would fetch and rank them all (seconds,
  // and the index chunks of many common words) before the reader's next letter is searched.
  // Such a search starts only after a longer pause (SHORT_PAUSE ms).
  var DEBOUNCE = 120;
  var SHORT_PAUSE = 600;
  var timer = 0;
  function pause(term) {
    var words = term.split(/\s+/);
    return Array.from(words[words.length - 1]).length < 3 ? SHORT_PAUSE : DEBOUNCE;
  }
  function search() {
    var term = input.value.trim();
    var mine = ++sequence;
    clearTimeout(timer);
    if (!term) {
      clear();
      status.textContent = "";
      return;
    }
    load(); // fetch Pagefind meanwhile
    timer = setTimeout(function () { run(term, mine); }, pause(term));
  }

  function run(term, mine) {
    load().then(function (module) {
      if (mine !== sequence) return null;
      return module.search(term, { filters: filters() });
    }).then(function (answer) {
      if (!answer || mine !== sequence) return;
      results = answer.results;
      clear();
      if (!results.length) {
        status.textContent = "No results for \u201c" + term + "\u201d";
        list.setAttribute("data-query", term);
        return;
      }
      return show(0, mine).then(function () {
        if (mine === sequence) list.setAttribute("data-query", term); // the results of `term` are shown
      });
    });
  }

  function clear() {
    shown = [];
    active = -1;
    list.textContent = "";
    more.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function show(from, mine) {
    var page = results.slice(from, from + PAGE_SIZE);
    var term = normal(input.value);
    return Promise.all(page.map(function (result) { return result.data(); })).then(function (data) {
      if (mine !== sequence) return;
      if (from === 0) data = named(data, term);
      data.forEach(function (item) {
        var index = shown.length;
        var option = element("li", { id: "x-search-result-" + index, role: "option", class: "x-search__result", "aria-selected": "false", "data-url": item.url });
        var kindName = (item.meta && item.meta.kind) || "page";
        option.appendChild(element("span", { class: "x-search__label x-search__label--" + kindName }, LABELS[kindName] || kindName));
        option.appendChild(element("span", { class: "x-search__name" }, (item.meta && item.meta.title) || item.url));
        var excerpt = element("span", { class: "x-search__excerpt" });
        marked(excerpt, item.excerpt || "");
        option.appendChild(excerpt);
        option.addEventListener("click", function () { go(index); });
        option.addEventListener("mousemove", function () { select(index); });
        list.appendChild(option);
        shown.push(item);
      });
      var count = results.length;
      status.textContent = count === 1 ? "1 result" : count + " results";
      more.hidden = shown.length >= count;
      input.setAttribute("aria-expanded", "true");
      if (active < 0) select(0);
    });
  }

  // A record's own page comes first for its name, short name or any alias: Pagefind ranks by
  // words, so a long page named exactly what the reader typed can fall below short pages
  // that mention it; among the first results, those whose names (search.py's "names"
  // metadata) include the query move to the top, in Pagefind's order.
  function normal(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function named(data, term) {
    var exact = [];
    var rest = [];
    data.forEach(function (item) {
      var names = ((item.meta && item.meta.names) || "").split(" | ").map(normal);
      (names.indexOf(term) >= 0 ? exact : rest).push(item);
    });
    return exact.concat(rest);
  }

  // Pagefind's excerpt is text with the matched words in <mark>…</mark>: only those two tags
  // become elements; everything else is shown as text (its entities decoded, nothing parsed).
  var decoder = document.createElement("textarea");
  function marked(target, excerpt) {
    var mark = null;
    excerpt.split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>") {
        mark = element("mark");
        target.appendChild(mark);
      } else if (piece === "</mark>") {
        mark = null;
      } else if (piece) {
        decoder.innerHTML = piece.replace(/</g, "&lt;");
        (mark || target).appendChild(document.createTextNode(decoder.value));
      }
    });
  }

  function select(index) {
    if (index < 0 || index >= shown.length) return;
    if (active >= 0 && list.children[active]) list.children[active].setAttribute("aria-selected", "false");
    active = index;
    var option = list.children[index];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function go(index) {
    var item = shown[index];
    if (item) location.href = new URL(item.url, location.href).href;
  }

  function keys(event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (active === shown.length - 1 && !more.hidden) {
        show(shown.length, sequence).then(function () { select(active + 1); });
      } else {
        select(active + 1);
      }
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      select(active - 1);
    } else if (event.key === "Escape") {
      event.preventDefault(); // a search field would only clear itself
      dialog.close();
    } else if (event.key === "Home" && event.ctrlKey) {
      select(0);
    } else if (event.key === "End" && event.ctrlKey) {
      select(shown.length - 1);
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function shortcut(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if ((event.key === "/" || event.key === "s" || event.key === "S") && !dialog.open && !typing(event.target)) {
      event.preventDefault();
      event.stopImmediatePropagation(); // not also Material's own handler
      open();
    }
  }

  function start() {
    if (!build()) return;
    document.addEventListener("keydown", shortcut, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
