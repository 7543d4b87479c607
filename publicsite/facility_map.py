"""The map of facilities: an SVG drawn on the server from an outline the repository holds (Natural Earth, public domain,
written by `manage.py build_map_outline`), with a circle for each facility a public page may name, sized by how many
published prisoners are held there now. No tile server, no script, no request anywhere else: the one map a reader at
risk can open safely.

A facility is placed at its coordinates; without them, at its city if the city is one of the `CITIES` below (a hollow
circle: the site is not on record, only the town); otherwise it is listed under the map.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casetracker.text import fold
from prisoners.models import Facility

OUTLINE = Path(__file__).resolve().parent / "geo" / "outline.json"
WIDTH = 720  # the picture's width in user units; its height follows from the outline's proportions

# Where a facility with no coordinates is placed when its city is known: Belarus' regional centres and the towns
# with penal colonies, by any usual spelling (folded). Latitude, longitude of the town centre, to two decimals.
CITIES = {
    ("minsk", "miensk", "минск", "мінск"): (53.90, 27.56),
    ("homiel", "gomel", "гомель"): (52.43, 30.98),
    ("mahiliou", "mogilev", "mahilyow", "могилёв", "магілёў"): (53.92, 30.34),
    ("viciebsk", "vitebsk", "vitsebsk", "витебск", "віцебск"): (55.19, 30.20),
    ("hrodna", "grodno", "гродно", "гродна"): (53.67, 23.81),
    ("brest", "брест", "брэст"): (52.10, 23.73),
    ("babrujsk", "bobruisk", "babruysk", "бобруйск", "бабруйск"): (53.14, 29.22),
    ("navapolack", "novopolotsk", "navapolatsk", "новополоцк", "наваполацк"): (55.53, 28.60),
    ("orsha", "vorsha", "орша", "ворша"): (54.51, 30.41),
    ("shklou", "shklov", "шклов", "шклоў"): (54.21, 30.29),
    ("zhodzina", "zhodino", "жодино", "жодзіна"): (54.10, 28.33),
    ("mazyr", "mozyr", "мозырь", "мазыр"): (52.05, 29.25),
    ("rechytsa", "rechitsa", "речица", "рэчыца"): (52.36, 30.39),
    ("svetlahorsk", "svetlogorsk", "светлогорск", "светлагорск"): (52.63, 29.73),
    ("ivatsevichy", "ivatsevichi", "ивацевичи", "івацэвічы"): (52.71, 25.34),
    ("slutsk", "слуцк"): (53.03, 27.55),
    ("baranavichy", "baranovichi", "барановичи", "баранавічы"): (53.13, 26.01),
    ("pinsk", "пинск", "пінск"): (52.12, 26.10),
    ("lida", "лида", "ліда"): (53.89, 25.30),
    ("hlybokaye", "glubokoye", "глубокое", "глыбокае"): (55.14, 27.69),
}
CITY_PLACES = {fold(spelling): place for spellings, place in CITIES.items() for spelling in spellings}

# The countries the outline holds, by their Natural Earth names: shown in the reader's language (`_country`).
COUNTRY_NAMES = [
    gettext_noop("Belarus"),
    gettext_noop("Latvia"),
    gettext_noop("Lithuania"),
    gettext_noop("Poland"),
    gettext_noop("Russia"),
    gettext_noop("Ukraine"),
]


def _country(name):
    """A country's name in the reader's language, where the catalogue has it (`COUNTRY_NAMES`)."""
    return _(name)


def _decode_arcs(topology):
    """TopoJSON's quantized, delta-encoded arcs as lists of (longitude, latitude)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arcs, indices):
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _clip(ring, west, south, east, north):
    """The ring clipped to the box (Sutherland–Hodgman, edge by edge): what lies outside is drawn along the edge."""
    edges = [
        (lambda p: p[0] >= west, lambda a, b: (west, a[1] + (b[1] - a[1]) * (west - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= east, lambda a, b: (east, a[1] + (b[1] - a[1]) * (east - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= south, lambda a, b: (a[0] + (b[0] - a[0]) * (south - a[1]) / (b[1] - a[1]), south)),
        (lambda p: p[1] <= north, lambda a, b: (a[0] + (b[0] - a[0]) * (north - a[1]) / (b[1] - a[1]), north)),
    ]
    for inside, crossing in edges:
        if not ring:
            break
        clipped, previous = [], ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        ring = clipped
    return ring


def countries_from_topojson(topology, bbox):
    """[{"name", "rings": [[[lon, lat], …]]}] of the countries with land in `bbox` (west, south, east, north),
    clipped to it, coordinates to 3 decimals (about 100 m)."""
    arcs = _decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry["type"], []
        )
        rings = []
        for polygon in polygons:
            for indices in polygon:
                clipped = _clip(_ring(arcs, indices), *bbox)
                if len(clipped) >= 3:
                    rings.append([[round(lon, 3), round(lat, 3)] for lon, lat in clipped])
        if rings:
            countries.append({"name": geometry["properties"]["name"], "rings": rings})
    return countries


@functools.cache
def outline():
    return json.loads(OUTLINE.read_text())


@dataclass(frozen=True)
class Projection:
    """Longitude and latitude to the picture's units: equirectangular, east–west shrunk by the cosine of the middle
    latitude, so shapes look right at this latitude."""

    west: float
    south: float
    east: float
    north: float

    @property
    def scale(self):
        return WIDTH / ((self.east - self.west) * self.shrink)

    @property
    def shrink(self):
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self):
        return (self.north - self.south) * self.scale

    def __call__(self, latitude, longitude):
        return (float(longitude) - self.west) * self.shrink * self.scale, (self.north - float(latitude)) * self.scale

    def contains(self, latitude, longitude):
        return self.west <= float(longitude) <= self.east and self.south <= float(latitude) <= self.north


@dataclass(frozen=True)
class Marker:
    facility: Facility
    x: float
    y: float
    radius: float
    placed_at_city: bool  # no coordinates on record: drawn at its town, hollow


def place(facility):
    """(latitude, longitude, at the city?) for a facility, or None when neither its site nor its town is known."""
    if facility.coordinates:
        return (*facility.coordinates, False)
    city = CITY_PLACES.get(fold(facility.city))
    return (*city, True) if city else None


def facilities_map():
    """What the map page shows: the country shapes as SVG paths, a marker per facility holding anyone now that it can
    place, and each such facility with where the map shows it (at its site, at its town, or not: no coordinates or
    known town, or outside the map). Two queries."""
    shape = outline()
    projection = Projection(*shape["bbox"])
    facilities = Facility.objects.public().holding_now()
    most = max((facility.held_count for facility in facilities), default=0) or 1
    markers, rows = [], []
    for facility in facilities:
        placed = place(facility)
        if placed is None:
            rows.append((facility, _("no: neither its site nor its town is on record")))
        elif not projection.contains(*placed[:2]):
            rows.append((facility, _("no: outside this map")))
        else:
            x, y = projection(*placed[:2])
            radius = 4 + 16 * math.sqrt(facility.held_count / most)  # area, not radius, grows with the count
            markers.append(Marker(facility, x, y, radius, placed[2]))
            rows.append((facility, _("at its town") if placed[2] else _("at its site")))
    markers.sort(key=lambda marker: -marker.radius)  # small circles drawn over large ones
    paths = [
        {
            "name": _country(country["name"]),
            "focus": country["name"] == shape["focus"],
            "d": " ".join(
                "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (projection(lat, lon) for lon, lat in ring)) + " Z"
                for ring in country["rings"]
            ),
        }
        for country in shape["countries"]
    ]
    return {
        "width": WIDTH,
        "height": round(projection.height, 1),
        "paths": paths,
        "focus": _country(shape["focus"]),
        "markers": markers,
        "facilities": rows,  # (facility, where the map shows it), most held first
        "source": shape["source"],
    }
