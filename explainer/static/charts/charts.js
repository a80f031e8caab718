/* Explainer charts: loads plotly.js only on pages that have a chart, draws each chart from its
 * JSON figure, follows the light/dark scheme, resizes with its container, and, inside an
 * embed, tells the embedding page its height. No request leaves the site's own host. */
(function () {
  "use strict";

  var THEMES = {
    light: { text: "#1f2328", grid: "#e1e4e8", land: "#eceff1", ocean: "#f7f9fb", lines: "#b0bec5", hover: "#ffffff" },
    dark: { text: "#e2e4e9", grid: "#3b4252", land: "#2e3440", ocean: "#1f232b", lines: "#5e6b7d", hover: "#2e3440" }
  };
  var SELECTOR = ".explainer-chart";
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

  function themeParam() {
    var match = /[?&]theme=(dark|light|auto)(&|$)/.exec(window.location.search);
    return match ? match[1] : "auto";
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

  function readSpec(container) {
    var inline = container.getAttribute("data-spec-inline");
    if (inline) {
      return Promise.resolve(JSON.parse(document.getElementById(inline).textContent));
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

  function postHeight() {
    if (!embed || window.parent === window) return;
    var main = document.getElementById("explainer-embed");
    if (!main) return;
    var style = window.getComputedStyle(document.body);
    var height = main.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    window.parent.postMessage(Math.ceil(height), "*");
  }

  function fail(container, error) {
    container.classList.add("explainer-chart-failed");
    container.style.minHeight = "0";
    container.style.minWidth = "0";
    container.textContent = "The interactive chart could not be shown; its summary and data follow.";
    if (window.console) console.warn("explainer chart:", error && error.message ? error.message : error);
    postHeight();
  }

  function draw(container) {
    if (container.getAttribute("data-state")) return;
    container.setAttribute("data-state", "loading");
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
      var config = {
        responsive: true,
        displaylogo: false,
        displayModeBar: false,
        scrollZoom: false,
        showTips: false
      };
      return Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
        container.setAttribute("data-state", "drawn");
        container.style.minHeight = "";
        drawn.push(container);
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
              if (container.offsetWidth > 0) Plotly.Plots.resize(container);
              postHeight();
            });
          }).observe(container);
        }
        postHeight();
      });
    }).catch(function (error) { fail(container, error); });
  }

  function retheme() {
    var dark = isDark();
    if (embed) document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
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
    if (!window.IntersectionObserver) {
      containers.forEach(draw);
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
    containers.forEach(function (c) { if (!c.getAttribute("data-state")) observer.observe(c); });
  }

  /* A chart wider than the screen scrolls sideways: a keyboard can reach it (tab stop) only
     while it does, so wide screens get no needless stop. */
  function scrollStops() {
    document.querySelectorAll(".explainer-chart-scroll[role=region]").forEach(function (box) {
      box.tabIndex = box.scrollWidth > box.clientWidth + 1 ? 0 : -1;
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
      var main = document.getElementById("explainer-embed");
      if (main && window.ResizeObserver) new ResizeObserver(postHeight).observe(main); /* the data opened, text rewrapped */
      postHeight();
    } else {
      new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(scan); /* Material's instant navigation, when a site turns it on */
    } else {
      scan();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
