/* Explainer charts. Static first: a chart shows its preview image (drawn at build time, light
 * or dark) and plotly.js is loaded only when a reader reaches for the chart (pointer over it,
 * a tap, keyboard focus on its button, `?date=`), then the interactive chart replaces the
 * preview. A chart without a preview is drawn when it scrolls into view. Follows the
 * light/dark scheme, resizes with its container, and, inside an embed, tells the embedding
 * page its height (a number, and AMP's embed-size message). Copy buttons copy snippets and
 * citations. No request leaves the site's own host. */
(function () {
  "use strict";

  var THEMES = {
    light: { text: "#1f2328", grid: "#e1e4e8", land: "#eceff1", ocean: "#f7f9fb", lines: "#b0bec5", hover: "#ffffff" },
    dark: { text: "#e2e4e9", grid: "#3b4252", land: "#2e3440", ocean: "#1f232b", lines: "#5e6b7d", hover: "#2e3440" }
  };
  var SELECTOR = ".explainer-chart";
  /* Measured with Lighthouse (bench/README.md, "Static first"): loading plotly.js when the
     browser is idle costs the main thread as much as loading it at once; only on demand meets
     the goals. */
  var LOAD_WHEN_IDLE = false;
  var embed = document.body && document.body.classList.contains("explainer-embed");
  var plotlyLoading = null;
  var scriptsLoading = {};
  var drawn = [];

  function loadScript(src) {
    if (!scriptsLoading[src]) {
      scriptsLoading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(script);
      });
    }
    return scriptsLoading[src];
  }

  function loadPlotly(container) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) plotlyLoading = loadScript(container.getAttribute("data-plotly"));
    return plotlyLoading.then(function () { return window.Plotly; });
  }

  /* Embeds are light unless asked otherwise, so the host page decides. */
  function themeParam() {
    var match = /[?&]theme=(dark|light|auto)(&|$)/.exec(window.location.search);
    return match ? match[1] : "light";
  }

  function dateParam() {
    var match = /[?&]date=(\d{4}-\d{2}-\d{2})(&|$)/.exec(window.location.search);
    return match ? match[1] : null;
  }

  function prefersDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function isDark() {
    if (embed) {
      var theme = themeParam();
      return theme === "dark" || (theme === "auto" && prefersDark());
    }
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  /* The layout changes that recolour a figure; the same keys work for relayout. */
  function themeUpdate(layout, data, dark) {
    var t = dark ? THEMES.dark : THEMES.light;
    var update = { "font.color": t.text, "hoverlabel.bgcolor": t.hover, "hoverlabel.font.color": t.text };
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis[0-9]*$/.test(key)) {
        update[key + ".gridcolor"] = t.grid;
        update[key + ".linecolor"] = t.grid;
      }
    });
    /* Buttons (updatemenus) stay light in both schemes: plotly.js draws the active one in a
       fixed light colour, so their text is fixed dark in the figure. */
    (layout.sliders || []).forEach(function (_, i) {
      update["sliders[" + i + "].bordercolor"] = t.grid;
      update["sliders[" + i + "].tickcolor"] = t.text;
      update["sliders[" + i + "].font.color"] = t.text;
    });
    if (basemapIndex(data) >= 0) update.plot_bgcolor = t.ocean;
    return update;
  }

  /* The map's country outlines: a filled line trace marked meta "basemap". */
  function basemapIndex(data) {
    for (var i = 0; i < (data || []).length; i++) if (data[i].meta === "basemap") return i;
    return -1;
  }

  function basemapColours(dark) {
    var t = dark ? THEMES.dark : THEMES.light;
    return { fillcolor: t.land, "line.color": t.lines };
  }

  function applyToLayout(layout, update) {
    Object.keys(update).forEach(function (path) {
      /* "xaxis.gridcolor", "updatemenus[0].font.color": walk to the parent, then set. */
      var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
      var node = layout;
      for (var i = 0; i < parts.length - 1; i++) {
        if (typeof node[parts[i]] !== "object" || node[parts[i]] === null) node[parts[i]] = {};
        node = node[parts[i]];
      }
      node[parts[parts.length - 1]] = update[path];
    });
  }

  /* The figure comes as a script (`<id>.js` sets explainerFigures[id]): a script loads inside a
     sandboxed frame without CORS and from file://, where fetch cannot. */
  function readSpec(container) {
    var script = container.getAttribute("data-figure");
    if (script) {
      return loadScript(script).then(function () {
        var figures = window.explainerFigures || {};
        var figure = figures[container.getAttribute("data-chart")];
        if (!figure) throw new Error("no figure in " + script);
        return JSON.parse(JSON.stringify(figure));
      });
    }
    return fetch(container.getAttribute("data-spec"), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("chart figure " + response.status);
      return response.json();
    });
  }

  function touchOnly() {
    return !!(window.matchMedia && window.matchMedia("(hover: none)").matches);
  }

  function openLink(container, target) {
    if (typeof target !== "string" || !/^[a-z0-9][a-z0-9\-\/]*\/$/.test(target)) return;
    var href = new URL((container.getAttribute("data-root") || "") + target, window.location.href).href;
    if (embed) window.open(href, "_blank", "noopener");
    else window.location.href = href;
  }

  /* The embed's natural height: every part as tall as it wants, the chart at its own height
     (the preview at the frame's width, or plotly's figure), whatever the frame is now. */
  function naturalHeight(main) {
    var style = window.getComputedStyle(main);
    var total = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    Array.prototype.forEach.call(main.children, function (child) {
      var cs = window.getComputedStyle(child);
      if (cs.position === "absolute" || cs.display === "none") return;
      var height = child.offsetHeight;
      if (child.classList.contains("explainer-chart-scroll")) {
        var chart = child.querySelector(".explainer-chart");
        var preview = chart && chart.querySelector(".explainer-chart-preview");
        if (preview && chart.getAttribute("data-state") !== "drawn") {
          height = chart.clientWidth * (preview.getAttribute("height") / preview.getAttribute("width"));
        } else if (chart) {
          height = chart.scrollHeight + (child.offsetHeight - child.clientHeight);
        }
      } else if (child.tagName === "DETAILS" && child.open) {
        height = child.scrollHeight;
      }
      total += height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    });
    return Math.ceil(total);
  }

  function postHeight() {
    if (!embed || window.parent === window) return;
    var main = document.getElementById("explainer-embed");
    if (!main) return;
    var height = naturalHeight(main);
    window.parent.postMessage(height, "*");
    window.parent.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*"); /* amp-iframe resizable */
  }

  function previewOf(container) {
    return container.querySelector(".explainer-chart-preview");
  }

  function startButton(container) {
    return document.querySelector('[data-chart-start="' + container.id + '"]');
  }

  /* Without plotly.js, or its figure (a page opened from file://), the preview stays; a chart
     without a preview gives its place to its data table. Never an empty box. */
  function fail(container, error) {
    container.setAttribute("data-state", "failed");
    container.style.minHeight = "";
    container.style.minWidth = "";
    var button = startButton(container);
    if (button) button.hidden = true;
    if (!previewOf(container)) {
      container.classList.add("explainer-chart-failed");
      var figure = container.closest("figure, main");
      var data = figure && figure.querySelector("details.explainer-chart-data, details.explainer-embed-data");
      if (data) data.open = true;
    }
    if (window.console) console.warn("explainer chart:", error && error.message ? error.message : error);
    postHeight();
  }

  /* The step of the figure's date slider at `date` (the last one that starts on or before it). */
  function stepAt(container, date) {
    var dates;
    try { dates = JSON.parse(container.getAttribute("data-dates") || "[]"); } catch (e) { return -1; }
    var found = -1;
    for (var i = 0; i < dates.length; i++) if (dates[i] && dates[i] <= date) found = i;
    return found;
  }

  /* A date control placed above a tall grid ("name": "fit-view") starts at the figure's left
     edge and ends within the part of the figure the reader sees, however wide the figure scrolls:
     a slider's position is a fraction of the plot's width, known only once it is drawn. */
  function fitSliders(container, Plotly) {
    var layout = container._fullLayout;
    var sliders = (layout && layout.sliders) || [];
    var update = {};
    sliders.forEach(function (slider, i) {
      if (slider.name !== "fit-view") return;
      var size = layout._size;
      var box = container.closest(".explainer-chart-scroll") || container;
      var seen = Math.min(box.clientWidth || size.w, layout.width) - 16;
      update["sliders[" + i + "].x"] = (8 - size.l) / size.w;
      update["sliders[" + i + "].len"] = Math.max(120, Math.min(seen, 560)) / size.w;
    });
    if (Object.keys(update).length) Plotly.relayout(container, update);
  }

  /* The map ships its marks twice (trace meta.layout "narrow" | "wide"), each set placed for a
     plot width with its own opening view (layout.meta.layouts); the phone's set shows first.
     Drawn and resized, the chart shows the set that fits its plot's width now: one restyle of
     `visible` (a set hidden in the legend stays hidden), then that set's view. */
  function fitLayout(container, Plotly) {
    var layout = container._fullLayout;
    var sets = container.layout && container.layout.meta && container.layout.meta.layouts;
    if (!layout || !layout._size || !sets || !sets.wide) return;
    var want = layout._size.w >= sets.wide.least ? "wide" : "narrow";
    if ((container.getAttribute("data-layout") || "narrow") === want) return;
    container.setAttribute("data-layout", want);
    var legendOnly = {};
    container.data.forEach(function (trace) {
      if (trace.meta && trace.meta.layout && trace.visible === "legendonly") legendOnly[trace.name] = true;
    });
    var indexes = [];
    var visible = [];
    container.data.forEach(function (trace, i) {
      var set = trace.meta && trace.meta.layout;
      if (set !== "narrow" && set !== "wide") return;
      indexes.push(i);
      visible.push(set !== want ? false : legendOnly[trace.name] ? "legendonly" : true);
    });
    var view = sets[want];
    var update = { "xaxis.range": view.x, "yaxis.range": view.y };
    if (layout.updatemenus && layout.updatemenus.length) {
      update["updatemenus[0].buttons[0].args"] = [{ "xaxis.range": view.x, "yaxis.range": view.y }];
    }
    Plotly.restyle(container, { visible: visible }, indexes).then(function () {
      return Plotly.relayout(container, update);
    });
  }

  function draw(container) {
    if (container.getAttribute("data-state")) return;
    container.setAttribute("data-state", "loading");
    /* The box keeps its place only now that the interactive chart will draw. */
    var preview = previewOf(container);
    container.style.minHeight = Math.max(preview ? preview.offsetHeight : 0, +container.getAttribute("data-height") || 0) + "px";
    var minWidth = container.getAttribute("data-min-width");
    if (minWidth) container.style.minWidth = minWidth + "px";
    scrollStops();
    var needs = [loadPlotly(container), readSpec(container)];
    Promise.all(needs).then(function (loaded) {
      var Plotly = loaded[0];
      var figure = loaded[1];
      var dark = isDark();
      applyToLayout(figure.layout, themeUpdate(figure.layout, figure.data, dark));
      var basemap = basemapIndex(figure.data);
      if (basemap >= 0) {
        figure.data[basemap].fillcolor = basemapColours(dark).fillcolor;
        figure.data[basemap].line.color = basemapColours(dark)["line.color"];
      }
      var date = dateParam();
      var step = date ? stepAt(container, date) : -1;
      var config = {
        responsive: true,
        displaylogo: false,
        displayModeBar: false,
        scrollZoom: false,
        showTips: false
      };
      var shown = container.querySelector("picture") || preview;
      if (shown) shown.parentNode.removeChild(shown);
      return Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
        if (step >= 0 && figure.layout.sliders && figure.layout.sliders[0].steps[step]) {
          var args = figure.layout.sliders[0].steps[step].args || [];
          Plotly.relayout(container, { "sliders[0].active": step });
          if (args.length) Plotly.restyle(container, args[0], args[1]);
        }
        fitSliders(container, Plotly);
        fitLayout(container, Plotly);
        container.setAttribute("data-state", "drawn");
        container.style.minHeight = "";
        var button = startButton(container);
        if (button) button.hidden = true;
        drawn.push(container);
        scrollStops(); /* the drawn chart may be wider than its box */
        var lastTap = null;
        container.on("plotly_click", function (event) {
          if (!event || !event.points || !event.points.length) return;
          var point = event.points[0];
          /* On a touch screen the first tap shows the mark's label; a second tap opens it. */
          var key = point.curveNumber + ":" + point.pointNumber;
          if (touchOnly() && key !== lastTap) {
            lastTap = key;
            return;
          }
          openLink(container, point.customdata);
        });
        if (window.ResizeObserver) {
          var pending = false;
          new ResizeObserver(function () {
            if (pending) return;
            pending = true;
            window.requestAnimationFrame(function () {
              pending = false;
              if (container.offsetWidth > 0) {
                var resized = Plotly.Plots.resize(container);
                if (resized && resized.then) {
                  resized.then(function () {
                    fitSliders(container, Plotly);
                    fitLayout(container, Plotly);
                  });
                }
              }
              postHeight();
            });
          }).observe(container);
        }
        postHeight();
      });
    }).catch(function (error) {
      if (preview && !preview.parentNode) container.appendChild(preview);
      fail(container, error);
    });
  }

  /* The preview in the reader's scheme: the page's script decides, not the <source> media. */
  function themePreview(container, dark) {
    var preview = previewOf(container);
    if (!preview) return;
    var picture = preview.parentNode;
    if (picture && picture.tagName === "PICTURE") {
      Array.prototype.slice.call(picture.querySelectorAll("source")).forEach(function (s) { picture.removeChild(s); });
    }
    var src = preview.getAttribute(dark ? "data-dark" : "data-light");
    if (src && preview.getAttribute("src") !== src) preview.setAttribute("src", src);
  }

  /* Static first: plotly.js comes when a reader reaches for the chart. */
  function awaitReader(container) {
    var button = startButton(container);
    var go = function () { draw(container); };
    container.addEventListener("pointerenter", function (event) { if (event.pointerType === "mouse") go(); });
    container.addEventListener("pointerdown", go);
    container.addEventListener("touchstart", go, { passive: true });
    if (button) {
      button.hidden = false;
      button.addEventListener("focus", go);
      button.addEventListener("click", go);
    }
    if (LOAD_WHEN_IDLE && window.requestIdleCallback) window.requestIdleCallback(go, { timeout: 10000 });
  }

  function retheme() {
    var dark = isDark();
    if (embed) document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
    document.querySelectorAll(SELECTOR).forEach(function (container) { themePreview(container, dark); });
    drawn.forEach(function (container) {
      if (!window.Plotly || !container.layout) return;
      window.Plotly.relayout(container, themeUpdate(container.layout, container.data, dark));
      var basemap = basemapIndex(container.data);
      if (basemap >= 0) window.Plotly.restyle(container, basemapColours(dark), [basemap]);
    });
  }

  function scan() {
    var containers = Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
    drawn = drawn.filter(function (c) { return document.body.contains(c); });
    if (!containers.length) return;
    var dark = isDark();
    var now = embed && dateParam() !== null;
    var lazy = [];
    containers.forEach(function (c) {
      if (c.getAttribute("data-state") || c.getAttribute("data-waiting")) return;
      themePreview(c, dark);
      if (now && c.getAttribute("data-dates")) draw(c); /* ?date= asks for the date control */
      else if (previewOf(c)) { c.setAttribute("data-waiting", "1"); awaitReader(c); }
      else lazy.push(c);
    });
    if (!lazy.length) return;
    if (!window.IntersectionObserver) {
      lazy.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    lazy.forEach(function (c) { observer.observe(c); });
  }

  /* Copy buttons (gallery, chart blocks): the snippet or citation their data-copy names. */
  function copyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.getAttribute("data-copy-ready")) return;
      button.setAttribute("data-copy-ready", "1");
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) return;
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.setAttribute("data-copied", "1");
          window.setTimeout(function () { button.removeAttribute("data-copied"); }, 2000);
        });
      });
    });
  }

  /* A chart larger than its box scrolls: a keyboard can reach it (tab stop) only while it
     does, so wide screens get no needless stop. */
  function scrollStops() {
    document.querySelectorAll(".explainer-chart-scroll[role=region]").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      box.tabIndex = scrolls ? 0 : -1;
    });
  }

  function start() {
    scrollStops();
    window.addEventListener("resize", scrollStops);
    if (embed) {
      document.documentElement.setAttribute("data-theme", isDark() ? "dark" : "light");
      if (window.matchMedia) {
        var query = window.matchMedia("(prefers-color-scheme: dark)");
        if (query.addEventListener) query.addEventListener("change", retheme);
      }
      window.addEventListener("resize", postHeight);
      window.addEventListener("load", postHeight);
      var main = document.getElementById("explainer-embed");
      if (main && window.ResizeObserver) new ResizeObserver(postHeight).observe(main); /* the data opened, text rewrapped */
      document.querySelectorAll("details").forEach(function (d) { d.addEventListener("toggle", postHeight); });
      postHeight();
    } else {
      new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }
    var everything = function () { scan(); copyButtons(); };
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(everything); /* Material's instant navigation, when a site turns it on */
    } else {
      everything();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
