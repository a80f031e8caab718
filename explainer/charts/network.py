"""The actor network: who leads, backs, is allied with, opposes or is envoy of whom.

The layout is computed here, deterministically (`stacked_layout`): groups of tied actors one
under another, one actor a row, so the chart reflows to any width without a name ever
overlapping another, and a phone shows every group.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from explainer.charts import chart as c
from explainer.charts.descriptions import actor_label
from explainer.checking.dataset import Dataset
from explainer.checking.models import Actor
from explainer.core import urls, wording
from explainer.core.wording import plural

RELATION_KINDS = ("leads", "backs", "allied-with", "opposes", "envoy-of")
RELATION_STYLES = {
    "leads": ("#2874a6", "solid"),
    "backs": ("#17a589", "solid"),
    "allied-with": ("#1e8449", "dot"),
    "opposes": ("#c0392b", "dash"),
    "envoy-of": ("#8e44ad", "dashdot"),
}
MAX_NODES = 80  # a readable graph: the most connected actors; the table lists every relation


def network_chart(dataset: Dataset) -> c.Chart | None:
    actors: dict[str, Actor] = dataset.models("actors")
    edges = sorted(
        (aid, rel.kind, rel.actor, rel)
        for aid, actor in actors.items()
        for rel in actor.relations
        if rel.kind in RELATION_KINDS and rel.actor in actors
    )  # fmt: skip
    if not edges:
        return None
    all_edges = edges
    linked = Counter([a for a, _, _, _ in edges] + [b for _, _, b, _ in edges])
    ranked = sorted(linked, key=lambda n: (-linked[n], n))
    kept = set(ranked[:MAX_NODES])
    edges = [e for e in edges if e[0] in kept and e[2] in kept]
    nodes = sorted({e[0] for e in edges} | {e[2] for e in edges})
    degree = Counter([a for a, _, _, _ in edges] + [b for _, _, b, _ in edges])
    placed = stacked_layout(nodes, [(a, k, b) for a, k, b, _ in edges], degree)
    positions = placed.positions
    traces = []
    for kind in RELATION_KINDS:
        members = [e for e in edges if e[1] == kind]
        if not members:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, _, b, _ in members:
            for x, y in connector(positions[a], positions[b]):
                xs.append(x)
                ys.append(y)
            xs.append(None)
            ys.append(None)
        colour, dash = RELATION_STYLES[kind]
        traces.append({
            "type": "scatter", "mode": "lines", "name": wording.RELATIONS[kind], "x": xs, "y": ys,
            "hoverinfo": "skip", "line": {"color": colour, "width": 1.6, "dash": dash}, "opacity": 0.75,
        })  # fmt: skip
    for kind in wording.ACTOR_KIND_COLOURS:
        kind_nodes = [n for n in nodes if actors[n].kind == kind]
        if not kind_nodes:
            continue
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": wording.ACTOR_KINDS[kind],
            "x": [positions[n][0] for n in kind_nodes], "y": [positions[n][1] for n in kind_nodes],
            "text": [c.escape(actor_label(dataset, n)) for n in kind_nodes], "textposition": "middle right",
            "cliponaxis": False,
            "textfont": {"size": 12}, "customdata": [urls.record_url("actors", n) for n in kind_nodes],
            "hovertext": [_hover(dataset, n, edges) for n in kind_nodes],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": [round(9 + 2 * math.sqrt(degree[n]), 2) for n in kind_nodes],
                       "color": wording.ACTOR_KIND_COLOURS[kind],
                       "line": {"width": 1, "color": "#ffffff"}},
        })  # fmt: skip
    height = 110 + round(ROW_PX * placed.rows)
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    figure = {
        "data": traces,
        "layout": c.layout(
            height,
            xaxis={**hidden, "range": [-0.6, placed.columns + LABEL_COLUMNS]},
            yaxis={**hidden, "range": [placed.rows + 0.4, -0.6]},
            dragmode=False,
        ),
    }
    sources = {s for _, _, _, rel in edges for s in rel.sources}
    return c.Chart(
        id="network",
        title="Who is related to whom",
        description=(
            "Actors and their relations: who leads, backs, is allied with, opposes or is envoy of whom; actors "
            "tied by leading, backing, alliance or envoys are drawn together, one group under another."
        ),
        figure=figure,
        summary=_summary(dataset, nodes, edges, degree, len(linked)) + _groups_sentence(dataset, placed),
        table=c.Table(
            "Relations between actors",
            ("Actor", "Relation", "Other actor"),
            tuple((actor_label(dataset, a), wording.RELATIONS[k], actor_label(dataset, b)) for a, k, b, _ in all_edges),
        ),
        home=urls.url_of(urls.section_file("actors")),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
    )


ROW_PX = 24
"""One actor a row: its name has the row to itself, so no two names ever overlap."""
MAX_DEPTH = 2
LABEL_COLUMNS = 3.4
"""Room to the right of the deepest column for the names (in column widths)."""
GROUP_GAP = 0.6
TIES = ("leads", "backs", "allied-with", "envoy-of")
"""Relations that put two actors in one group; "opposes" runs between groups."""


class Placed:
    """Where each actor is drawn: a row each (groups one under another), a column for how
    far it is from its group's best-connected actor."""

    def __init__(self) -> None:
        self.positions: dict[str, tuple[float, float]] = {}
        self.groups: list[list[str]] = []
        self.rows = 0.0
        self.columns = 0


def stacked_layout(nodes: list[str], edges: list[tuple[str, str, str]], degree: Counter[str]) -> Placed:
    """The network as stacked groups, the same on every run and readable at any width.

    Groups are the actors tied by leading, backing, alliance or envoys (connected
    components), biggest first. In a group, its best-connected actor comes first; every other
    actor follows the actor it is tied to, one row each, indented by its distance from the
    first (at most `MAX_DEPTH`), like an outline. Names sit to the right of their marks on their
    own rows, so they never overlap, however narrow the chart."""
    ties: dict[str, set[str]] = {n: set() for n in nodes}
    for a, kind, b in edges:
        if kind in TIES:
            ties[a].add(b)
            ties[b].add(a)
    rank = {n: (-degree[n], n) for n in nodes}
    seen: set[str] = set()
    groups: list[list[tuple[str, int]]] = []
    for start in sorted(nodes, key=lambda n: rank[n]):
        if start in seen:
            continue
        order: list[tuple[str, int]] = []
        stack = [(start, 0)]
        seen.add(start)
        while stack:  # depth-first, best-connected first: each actor right under its tie
            node, depth = stack.pop()
            order.append((node, depth))
            for other in sorted(ties[node] - seen, key=lambda n: rank[n], reverse=True):
                seen.add(other)
                stack.append((other, depth + 1))
        groups.append(order)
    groups.sort(key=lambda g: (-len(g), rank[g[0][0]]))
    placed = Placed()
    row = 0.0
    for group in groups:
        for node, depth in group:
            column = min(depth, MAX_DEPTH)
            placed.positions[node] = (float(column), round(row, 2))
            placed.columns = max(placed.columns, column)
            row += 1
        placed.groups.append([n for n, _ in group])
        row += GROUP_GAP
    placed.rows = round(row - 1 - GROUP_GAP, 2)
    return placed


def connector(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """The line between two actors: a bow to the left of both, so it passes beside the marks
    and names between their rows rather than through them."""
    (x1, y1), (x2, y2) = a, b
    if y1 == y2:
        return [a, b]
    bend = min(x1, x2) - 0.2 - 0.04 * min(abs(y2 - y1), 10)
    steps = 8
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * x1 + 2 * (1 - t) * t * bend + t**2 * x2
        y = (1 - t) ** 2 * y1 + 2 * (1 - t) * t * (y1 + y2) / 2 + t**2 * y2
        points.append((round(x, 3), round(y, 3)))
    return points


def _groups_sentence(dataset: Dataset, placed: Placed) -> tuple[str, ...]:
    big = [g for g in placed.groups if len(g) > 1]
    if len(big) < 2:
        return ()
    heads = "; ".join(f"{actor_label(dataset, g[0])} and {plural(len(g) - 1, 'other')}" for g in big[:3])
    return (f"{plural(len(big), 'group')} of tied actors, largest first: {heads}.",)


def _hover(dataset: Dataset, node: str, edges: Sequence[tuple[str, str, str, object]]) -> str:
    lines = [f"<b>{c.escape(actor_label(dataset, node))}</b>"]
    for a, kind, b, _ in edges:
        if a == node:
            lines.append(c.escape(f"{wording.RELATIONS[kind]} {actor_label(dataset, b)}"))
        elif b == node:
            lines.append(c.escape(f"{actor_label(dataset, a)} {wording.RELATIONS[kind]} it"))
    if len(lines) > 16:
        lines = [*lines[:15], f"… and {len(lines) - 15} more"]
    return "<br>".join(lines)


def _summary(
    dataset: Dataset,
    nodes: list[str],
    edges: Sequence[tuple[str, str, str, object]],
    degree: Counter[str],
    related: int,
) -> tuple[str, ...]:
    kinds = Counter(k for _, k, _, _ in edges)
    listing = ", ".join(f"{kinds[k]} {wording.RELATIONS[k]}" for k in RELATION_KINDS if kinds[k])
    hub, links = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    sentences = [
        f"{plural(len(edges), 'relation')} between {plural(len(nodes), 'actor')}: {listing}.",
        f"The most connected actor is {actor_label(dataset, hub)}, with {plural(links, 'relation')}.",
    ]
    if related > len(nodes):
        sentences.append(
            f"The graph shows the {len(nodes)} most connected of {related} related actors; "
            "the table lists every relation."
        )
    return tuple(sentences)
