"""/map/: facilities on a map drawn on the server from the outline the repository holds, a circle each sized by how
many are held there now; placed at their coordinates, else at their town (hollow), else listed as not on the map."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from publicsite import facility_map
from tests.factories import CustodyPeriodFactory, FacilityFactory, PrisonerFactory
from tests.public_site import page_text

pytestmark = pytest.mark.django_db


def held_at(facility, count):
    for _ in range(count):
        CustodyPeriodFactory(prisoner=PrisonerFactory(), facility=facility)
    return facility


CIRCLE = (
    r'<circle class="(?P<cls>[^"]+)" cx="(?P<x>[\d.]+)" cy="(?P<y>[\d.]+)" r="(?P<r>[\d.]+)"><title>(?P<title>[^<]+)'
)


def circles(html):
    return {
        match["title"].split(":")[0]: (float(match["x"]), float(match["y"]), float(match["r"]), match["cls"])
        for match in re.finditer(CIRCLE, html)
    }


def test_facilities_are_placed_at_their_site_or_town_sized_by_how_many_are_held(today, client):
    held_at(FacilityFactory(name="Colony", city="Minsk", latitude=Decimal("53.9"), longitude=Decimal("27.56")), 4)
    held_at(FacilityFactory(name="Prison", city="Gomel"), 1)  # no coordinates: at the town, by any spelling
    held_at(FacilityFactory(name="Camp", city="Somewhere", country="Belarus"), 1)
    held_at(FacilityFactory(name="Far", city="Moscow", latitude=Decimal("55.75"), longitude=Decimal("37.62")), 1)
    response = client.get("/map/")
    html, page = response.content.decode(), page_text(response)
    placed = circles(html)
    projection = facility_map.Projection(*facility_map.outline()["bbox"])
    x, y = projection(53.9, 27.56)
    assert placed["Colony, Minsk"][:2] == (round(x, 1), round(y, 1))
    assert placed["Colony, Minsk"][3] == "marker" and placed["Prison, Gomel"][3] == "marker at-city"
    assert placed["Prison, Gomel"][:2] == tuple(round(v, 1) for v in projection(52.43, 30.98))
    assert placed["Colony, Minsk"][2] == 20.0 and placed["Prison, Gomel"][2] == 12.0  # area ∝ count: 4 + 16√(n/4)
    assert set(placed) == {"Colony, Minsk", "Prison, Gomel"}
    assert "Facilities holding people now, most first Facility Held now On the map Colony, Minsk 4 at its site" in page
    assert "Prison, Gomel 1 at its town" in page
    assert "Camp, Somewhere 1 no: neither its site nor its town is on record" in page
    assert "Far, Moscow 1 no: outside this map" in page
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="country focus"' in svg and "<script" not in html and "http" not in svg


def test_only_facilities_a_public_page_may_name_and_holding_someone_are_on_the_map(today, client):
    held_at(FacilityFactory(name="Public colony", city="Minsk"), 1)
    CustodyPeriodFactory(facility=FacilityFactory(name="Former prison", city="Minsk"), end=datetime.date(2022, 1, 1))
    hidden = FacilityFactory(name="Secret site", city="Minsk")
    CustodyPeriodFactory(prisoner=PrisonerFactory(published=False), facility=hidden)
    page = page_text(client.get("/map/"))
    assert "Public colony" in page and "Secret site" not in page and "Former prison" not in page


def test_an_empty_register_shows_the_map_and_says_so(today, client):
    page = page_text(client.get("/map/"))
    assert "Map of facilities" in page and "No one on public record is held anywhere now." in page


def test_the_outline_is_built_from_natural_earth_topojson_clipped_to_the_map(tmp_path):
    # Two squares in TopoJSON (quantized, delta-encoded): one inside the box, one across its eastern edge.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[24, 52], [2, 0], [0, 2], [-2, 0], [0, -2]], [[32, 52], [4, 0], [0, 2], [-4, 0], [0, -2]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Belarus"}},
                    {"type": "MultiPolygon", "arcs": [[[1]]], "properties": {"name": "Russia"}},
                ],
            }
        },
    }
    source, output = tmp_path / "countries.json", tmp_path / "outline.json"
    source.write_text(json.dumps(topology))
    call_command("build_map_outline", str(source), "--output", str(output), "--bbox", "22.5", "50.5", "33.5", "57")
    outline = json.loads(output.read_text())
    assert outline["focus"] == "Belarus" and outline["bbox"] == [22.5, 50.5, 33.5, 57.0]
    rings = {country["name"]: country["rings"] for country in outline["countries"]}
    assert rings["Belarus"] == [[[24, 52], [26, 52], [26, 54], [24, 54], [24, 52]]]
    assert max(lon for lon, _ in rings["Russia"][0]) == 33.5  # cut at the map's eastern edge


def test_the_shipped_outline_is_of_belarus_and_its_neighbours():
    outline = facility_map.outline()
    names = {country["name"] for country in outline["countries"]}
    assert outline["focus"] == "Belarus" and {"Belarus", "Poland", "Lithuania", "Russia", "Ukraine"} <= names
    assert "Natural Earth" in outline["source"]
