"""How the view (kg/view.py) lays the graph out: vis-network's options, and for big graphs
fixed positions and the nodes drawn first.

Up to BIG_GRAPH nodes, vis-network's physics settles the layout, then is switched off.
Above, `grouped_layout` places the nodes in O(nodes), without physics or randomness: each
group is a sunflower (Vogel's spiral) with its first members in the middle, and the groups
are packed on rings around the central group, biggest first. Above DRAW_LIMIT nodes the
page first draws only those `first_drawn` picks, the most connected.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BIG_GRAPH = 500  # above this many nodes: positions computed here, no physics
# Above this many nodes the page first draws only this many, the most connected; a node found
# by search, reached by a link in the panel or in the chosen article is drawn when asked for.
# (vis-network draws about 5,000 nodes in 2 s; 34,000 nodes and 290,000 edges took 27 s.)
DRAW_LIMIT = 3000
DRAW_EDGE_LIMIT = 12000  # ... and stops before the edges among them pass this many (each redraw draws them all)
# Physics steps before freezing: about 1.5 s in headless chromium at BIG_GRAPH nodes.
ITERATIONS = ((100, 300), (BIG_GRAPH, 150))  # (up to this many nodes, steps)
SEED = 42
NODE_SPACING = 28.0  # canvas units between neighbouring nodes of a group
GROUP_GAP = 120.0  # canvas units between groups
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def vis_options(count: int, groups: dict[str, Any]) -> dict[str, Any]:
    """vis-network's options for a graph of `count` nodes, with the look of each of `groups`."""
    big = count > BIG_GRAPH
    iterations = next((steps for most, steps in ITERATIONS if count <= most), 0)
    return {
        "groups": groups,
        "layout": {"randomSeed": SEED, "improvedLayout": not big},
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": not big, "iterations": iterations, "fit": True}},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#333333"},
                  "font": {"size": 9, "align": "middle", "color": "#555555"}},
    }


def first_drawn(order: Sequence[str], edges: Iterable[Sequence[str]], degree: Mapping[str, int]) -> list[int] | None:
    """The numbers (places in `order`) of the nodes a graph of more than DRAW_LIMIT nodes draws
    at first, None for a smaller one: the most connected, by `degree` then node, up to
    DRAW_LIMIT nodes and DRAW_EDGE_LIMIT of `edges` ((source, target, ...) rows) among them."""
    if len(order) <= DRAW_LIMIT:
        return None
    neighbours: dict[str, list[str]] = defaultdict(list)
    for source, target, *_ in edges:
        neighbours[source].append(target)
        if target != source:
            neighbours[target].append(source)
    chosen: set[str] = set()
    count = 0
    for node in sorted(order, key=lambda n: (-degree.get(n, 0), n)):
        new = sum(1 for other in neighbours[node] if other in chosen or other == node)
        if len(chosen) == DRAW_LIMIT or count + new > DRAW_EDGE_LIMIT:
            break
        chosen.add(node)
        count += new
    return [i for i, node in enumerate(order) if node in chosen]


def grouped_layout(homes: Mapping[str, str], degree: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    """Integer (x, y) canvas positions of the nodes of `homes` (node -> the key of its group;
    "" for the central group, drawn at the origin). In each group the node named by the
    group's key comes first, then the hubs (by `degree`, then by node)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node, home in homes.items():
        groups[home].append(node)
    for home, members in groups.items():
        members.sort(key=lambda n: (n != home, -degree.get(n, 0), n))
    order = sorted(groups, key=lambda g: (g != "", -len(groups[g]), g))
    centres = pack([sunflower_radius(len(groups[g])) for g in order])
    positions: dict[str, tuple[int, int]] = {}
    for group, centre in zip(order, centres):
        positions.update(zip(groups[group], sunflower(len(groups[group]), centre)))
    return positions


def sunflower(count: int, centre: tuple[float, float]) -> list[tuple[int, int]]:
    """`count` points NODE_SPACING apart on Vogel's spiral around `centre`, from the middle out."""
    cx, cy = centre
    points = []
    for i in range(count):
        r, a = NODE_SPACING * math.sqrt(i), i * GOLDEN_ANGLE
        points.append((round(cx + r * math.cos(a)), round(cy + r * math.sin(a))))
    return points


def sunflower_radius(count: int) -> float:
    """The radius of the circle around a sunflower of `count` points."""
    return NODE_SPACING * math.sqrt(max(count - 1, 0)) + NODE_SPACING / 2


def pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for circles of `radii` (largest first after the first): the first at the
    origin, the others side by side on rings around it, each ring clear of the one inside."""
    if not radii:
        return []
    centres = [(0.0, 0.0)]
    inner, i = radii[0], 1
    while i < len(radii):
        ring = inner + GROUP_GAP + radii[i]

        def width(r: float) -> float:  # the angle a circle of radius r takes on the ring
            return 2 * math.asin(min(1.0, (r + GROUP_GAP / 2) / ring))

        start, used = i, 0.0
        while i < len(radii) and (i == start or used + width(radii[i]) <= 2 * math.pi):
            used += width(radii[i])
            i += 1
        spare, angle = max(0.0, 2 * math.pi - used) / (i - start), 0.0
        for r in radii[start:i]:
            a = angle + (width(r) + spare) / 2
            centres.append((ring * math.cos(a), ring * math.sin(a)))
            angle += width(r) + spare
        inner = ring + radii[start]
    return centres
