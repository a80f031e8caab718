"""Charts: Plotly figures made from a dataset, the pages' chart blocks, embeds and images.

    chart_set = build_charts(dataset)
    chart_set.block("timeline", "timeline/")   # HTML for the page published at /timeline/
    write_charts(chart_set, docs_dir, site)    # specs, scripts, plotly.js, embeds, gallery, images

One module per chart family (`timeline`, `positions`, `tolls`, `network`, `geo` with its
`basemap`, `records`), each a pure function dataset -> `Chart` (`chart`), in the words of
`descriptions` and `explainer.core.wording`; `chartset` gathers them; `render` lays out HTML;
`files` and `images` are the only modules that write files. Imports point one way:
files -> chartset -> families -> descriptions -> chart; every address comes from
`explainer.core.urls`.
"""

from explainer.charts.chart import Chart, Table
from explainer.charts.chartset import ChartSet, build_charts
from explainer.charts.files import write_charts

__all__ = ["Chart", "ChartSet", "Table", "build_charts", "write_charts"]
