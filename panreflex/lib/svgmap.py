"""Server-rendered SVG maps from GeoJSON (no tile server, no JavaScript).

    from panreflex.lib.svgmap import Shape, render_map
    svg = render_map([Shape(key=p.ags, geometry=p.boundary, label=p.name, fill="#c6dbef")], title="…")

Longitude/latitude (WGS84) are projected with a simple equirectangular projection scaled by the cosine
of the mean latitude, which is accurate enough for a state or a country. Polygon and MultiPolygon
geometries become SVG paths; the viewBox is fitted to all shapes. Shapes with `href` become links
(keyboard reachable, named by their `<title>`); the others are decorative. Always offer a table as the
text alternative next to the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Shape:
    key: str
    geometry: dict | None
    label: str = ""
    fill: str = "#eeeeee"
    href: str = ""
    title: str = ""  # tooltip / accessible name; defaults to the label


@dataclass(frozen=True)
class Point:
    lon: float
    lat: float
    label: str = ""
    radius: float = 4.0
    fill: str = "#004b87"
    href: str = ""


def _rings(geometry: dict | None) -> Iterable[Sequence[Sequence[float]]]:
    if not geometry:
        return
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for polygon in coords:
            yield from polygon
    elif kind == "GeometryCollection":
        for g in geometry.get("geometries") or []:
            yield from _rings(g)


class Projection:
    """cos(lat) equirectangular projection fitted into a box `width` wide (height follows)."""

    def __init__(self, geometries: Iterable[dict | None], *, width: float = 800, padding: float = 4,
                 extra_points: Iterable[tuple[float, float]] = ()):
        lons, lats = [], []
        for geometry in geometries:
            for ring in _rings(geometry):
                for lon, lat, *_rest in ring:
                    lons.append(lon)
                    lats.append(lat)
        for lon, lat in extra_points:
            lons.append(lon)
            lats.append(lat)
        if not lons:
            lons, lats = [0.0, 1.0], [0.0, 1.0]
        self.min_lon, self.max_lon = min(lons), max(lons)
        self.min_lat, self.max_lat = min(lats), max(lats)
        self.k = math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        span_x = max((self.max_lon - self.min_lon) * self.k, 1e-9)
        span_y = max(self.max_lat - self.min_lat, 1e-9)
        self.padding = padding
        self.scale = (width - 2 * padding) / span_x
        self.width = width
        self.height = span_y * self.scale + 2 * padding

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.min_lon) * self.k * self.scale + self.padding
        y = (self.max_lat - lat) * self.scale + self.padding
        return x, y

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def geometry_to_path(geometry: dict | None, projection: Projection, *, precision: int = 1) -> str:
    """GeoJSON Polygon/MultiPolygon → SVG path data (`M x y L … Z` per ring, even-odd holes)."""
    parts = []
    for ring in _rings(geometry):
        points = []
        last = None
        for lon, lat, *_rest in ring:
            x, y = projection(lon, lat)
            xy = (round(x, precision), round(y, precision))
            if xy != last:
                points.append(f"{xy[0]:g} {xy[1]:g}")
                last = xy
        if len(points) >= 3:
            parts.append("M" + " L".join(points) + " Z")
    return " ".join(parts)


def render_map(shapes: Sequence[Shape], *, title: str, description: str = "", width: float = 800,
               points: Sequence[Point] = (), css_class: str = "svg-map", stroke: str = "#7d8a99",
               id_prefix: str = "map") -> SafeString:
    """An inline SVG with one path per shape (links where `href` is set) and optional point markers."""
    projection = Projection((s.geometry for s in shapes), width=width,
                            extra_points=((p.lon, p.lat) for p in points))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" viewBox="{projection.view_box}" '
        f'role="group" aria-labelledby="{id_prefix}-title{f" {id_prefix}-desc" if description else ""}" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
    ]
    if description:
        out.append(f'<desc id="{id_prefix}-desc">{escape(description)}</desc>')
    for shape in shapes:
        d = geometry_to_path(shape.geometry, projection)
        if not d:
            continue
        name = escape(shape.title or shape.label)
        path = (f'<path d="{d}" fill="{escape(shape.fill)}" stroke="{escape(stroke)}" stroke-width="0.7" '
                f'fill-rule="evenodd" data-key="{escape(shape.key)}">')
        if shape.href:
            out.append(f'<a href="{escape(shape.href)}" class="map-link">{path}<title>{name}</title></path></a>')
        else:
            out.append(f'{path}<title>{name}</title></path>')
    for point in points:
        x, y = projection(point.lon, point.lat)
        circle = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{point.radius:g}" fill="{escape(point.fill)}" '
                  f'stroke="#ffffff" stroke-width="1"><title>{escape(point.label)}</title></circle>')
        out.append(f'<a href="{escape(point.href)}" class="map-link">{circle}</a>' if point.href else circle)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def classify(value: int, breaks: Sequence[int], colours: Sequence[str]) -> str:
    """Colour for `value`: colours[i] for the first break with value <= break, else the last colour."""
    for limit, colour in zip(breaks, colours, strict=False):
        if value <= limit:
            return colour
    return colours[-1]
