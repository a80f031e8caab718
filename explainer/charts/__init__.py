"""Charts: Plotly figures made from a dataset, the pages' chart blocks, embeds and images.

    chart_set = build_charts(dataset)
    chart_set.block("timeline", "timeline/")   # HTML for a generated Markdown page
    chart_set.write(docs_dir, site)            # specs, scripts, plotly.js, embeds, gallery, images

One module per chart family (`timeline`, `positions`, `tolls`, `network`, `geo` with its
`basemap`, `records`), each a pure function dataset -> `Chart`; `render` lays out HTML;
`output` and `images` are the only modules that write files.
"""

from explainer.charts.chart import Chart, Table
from explainer.charts.chartset import ChartSet, build_charts

__all__ = ["Chart", "ChartSet", "Table", "build_charts"]
