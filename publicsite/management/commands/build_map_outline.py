"""Write the outline the facility map draws (publicsite/geo/outline.json) from Natural Earth's country boundaries.

    manage.py build_map_outline countries-50m.json --focus Belarus --bbox 22.5 50.5 33.5 57

The input is world-atlas' TopoJSON of Natural Earth (public domain), e.g. from `npm pack world-atlas@2.0.2`. The map
is drawn from the file this writes, which the repository holds: nothing is fetched when a page is made.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from publicsite import facility_map


class Command(BaseCommand):
    help = "Write the facility map's outline from a world-atlas TopoJSON file of Natural Earth's countries."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path)
        parser.add_argument("--focus", default="Belarus", help="The country the map is of (Natural Earth's name).")
        parser.add_argument(
            "--bbox", nargs=4, type=float, default=[22.5, 50.5, 33.5, 57.0], metavar=("WEST", "SOUTH", "EAST", "NORTH")
        )
        parser.add_argument("--output", type=Path, default=facility_map.OUTLINE)

    def handle(self, topojson, focus, bbox, output, **options):
        countries = facility_map.countries_from_topojson(json.loads(topojson.read_text()), bbox)
        if focus not in {country["name"] for country in countries}:
            raise SystemExit(f"{focus} is not in {topojson} within {bbox}.")
        outline = {
            "source": f"Natural Earth (public domain), {topojson.name} from world-atlas, clipped to {bbox}",
            "focus": focus,
            "bbox": bbox,
            "countries": countries,
        }
        output.write_text(json.dumps(outline, separators=(",", ":")) + "\n")
        points = sum(len(ring) for country in countries for ring in country["rings"])
        self.stdout.write(f"{output}: {len(countries)} countries, {points:,} points.")
