"""The actor network: who leads, backs, is allied with, opposes or is envoy of whom.

The layout is computed here, deterministically: actors start on a circle in id order and a
fixed number of force-directed steps (Fruchterman-Reingold) pull related actors together.
Coordinates are rounded, so two builds give the same figure. Large networks (more than
`FORCE_LIMIT` actors) keep the circle, grouped by kind.
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
FORCE_LIMIT = 120
MAX_NODES = 80  # a readable graph: the most connected actors; the table lists every relation
ITERATIONS = 200


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
    pairs = sorted({(a, b) for a, _, b, _ in edges})
    positions = layout_positions(nodes, pairs, {n: actors[n].kind for n in nodes})
    traces = []
    for kind in RELATION_KINDS:
        members = [e for e in edges if e[1] == kind]
        if not members:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, _, b, _ in members:
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        colour, dash = RELATION_STYLES[kind]
        traces.append({
            "type": "scatter", "mode": "lines", "name": wording.RELATIONS[kind], "x": xs, "y": ys,
            "hoverinfo": "skip", "line": {"color": colour, "width": 1.6, "dash": dash}, "opacity": 0.75,
        })  # fmt: skip
    degree = Counter([a for a, _, _, _ in edges] + [b for _, _, b, _ in edges])
    for kind in wording.ACTOR_KIND_COLOURS:
        kind_nodes = [n for n in nodes if actors[n].kind == kind]
        if not kind_nodes:
            continue
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": wording.ACTOR_KINDS[kind],
            "x": [positions[n][0] for n in kind_nodes], "y": [positions[n][1] for n in kind_nodes],
            "text": [c.escape(actor_label(dataset, n)) for n in kind_nodes], "textposition": "top center",
            "textfont": {"size": 11}, "customdata": [urls.record_url("actors", n) for n in kind_nodes],
            "hovertext": [_hover(dataset, n, edges) for n in kind_nodes],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": [round(10 + 3 * math.sqrt(degree[n]), 2) for n in kind_nodes],
                       "color": wording.ACTOR_KIND_COLOURS[kind],
                       "line": {"width": 1, "color": "#ffffff"}},
        })  # fmt: skip
    height = min(900, max(420, 16 * len(nodes)))
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    figure = {
        "data": traces,
        "layout": c.layout(height, xaxis=dict(hidden), yaxis=dict(hidden), dragmode=False),
    }
    sources = {s for _, _, _, rel in edges for s in rel.sources}
    return c.Chart(
        id="network",
        title="Who is related to whom",
        description="Actors and their relations: who leads, backs, is allied with, opposes or is envoy of whom.",
        figure=figure,
        summary=_summary(dataset, nodes, edges, degree, len(linked)),
        table=c.Table(
            "Relations between actors",
            ("Actor", "Relation", "Other actor"),
            tuple((actor_label(dataset, a), wording.RELATIONS[k], actor_label(dataset, b)) for a, k, b, _ in all_edges),
        ),
        home=urls.url_of(urls.section_file("actors")),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
        min_width=600,
    )


def layout_positions(
    nodes: list[str], pairs: list[tuple[str, str]], kinds: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Node positions in [-1, 1]², the same for the same graph on every run."""
    order = sorted(nodes, key=lambda n: (list(wording.ACTOR_KIND_COLOURS).index(kinds[n]), n))
    count = len(order)
    pos = {n: [math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i, n in enumerate(order)}
    if count <= FORCE_LIMIT and count > 2:
        k = math.sqrt(4.0 / count)
        temperature = 0.2
        for _ in range(ITERATIONS):
            move = {n: [0.0, 0.0] for n in order}
            for i, a in enumerate(order):
                ax, ay = pos[a]
                for b in order[i + 1 :]:
                    dx, dy = ax - pos[b][0], ay - pos[b][1]
                    dist2 = max(dx * dx + dy * dy, 1e-6)
                    force = k * k / dist2
                    move[a][0] += dx * force
                    move[a][1] += dy * force
                    move[b][0] -= dx * force
                    move[b][1] -= dy * force
            for a, b in pairs:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.sqrt(dx * dx + dy * dy), 1e-3)
                force = dist / k
                move[a][0] -= dx * force
                move[a][1] -= dy * force
                move[b][0] += dx * force
                move[b][1] += dy * force
            for n in order:
                mx, my = move[n]
                length = max(math.sqrt(mx * mx + my * my), 1e-9)
                step = min(length, temperature)
                pos[n][0] += mx / length * step - 0.01 * pos[n][0]
                pos[n][1] += my / length * step - 0.01 * pos[n][1]
            temperature *= 0.985
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round(2 * (pos[n][0] - cx) / span, 4), round(2 * (pos[n][1] - cy) / span, 4)) for n in order}


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
