"""Build the world base map the meetings map draws offline, `kaidan/assets/world_110m.json`.

plotly.js draws a geo chart's land, borders and coastlines from a topojson it fetches from
a CDN unless `window.PlotlyGeoAssets` already holds one under the name it wants
(``world_110m``). kaidan ships that topojson: this tool makes it, once, from Natural Earth's
1:110m admin-0 countries (public domain), as the shapefile geopandas 0.14 ships
(``geopandas/datasets/naturalearth_lowres``; later geopandas no longer does):

    pip download --no-deps geopandas==0.14.4 && unzip geopandas-0.14.4-*.whl 'geopandas/datasets/*'
    pip install pyshp shapely topojson geojson   # in a scratch environment: not kaidan's dependencies
    python -m kaidan.dev.basemap geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

The topology holds the three objects plotly.js reads for the layers the map shows:
``countries`` (borders), ``land`` (the countries dissolved) and ``coastlines`` (land's
outline: the same arcs, so it costs a few bytes).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geojson
import shapefile
import topojson
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parents[1] / "assets" / "world_110m.json"
LAND = "land"
QUANTIZE = 10_000  # grid steps across the world: ~4 km at the equator, finer than 1:110m's lines


def countries(path: Path) -> list[dict]:
    """Each country of the shapefile as a GeoJSON feature with its ISO3 code as id."""
    reader = shapefile.Reader(str(path))
    fields = [f[0] for f in reader.fields[1:]]
    features = []
    for record, geometry in zip(reader.records(), reader.shapes()):
        properties = dict(zip(fields, record))
        features.append(geojson.Feature(id=properties.get("iso_a3") or properties.get("name"),
                                        geometry=geometry.__geo_interface__, properties={}))
    return features


def build(path: Path) -> dict:
    features = countries(path)
    land = unary_union([shape(f["geometry"]).buffer(0) for f in features])
    # one collection, so that land shares the countries' arcs; split into objects afterwards
    collection = geojson.FeatureCollection([*features, geojson.Feature(id=LAND, geometry=mapping(land),
                                                                       properties={})])
    topology = topojson.Topology(collection, prequantize=QUANTIZE, topology=True).to_dict()
    geometries = topology["objects"].pop("data")["geometries"]
    for geometry in geometries:
        geometry.pop("properties", None)
    topology["objects"] = {
        "countries": {"type": "GeometryCollection", "geometries": [g for g in geometries if g.get("id") != LAND]},
        "land": {"type": "GeometryCollection", "geometries": [g for g in geometries if g.get("id") == LAND]},
    }
    topology["objects"]["coastlines"] = json.loads(json.dumps(topology["objects"]["land"]))
    return topology


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    topology = build(Path(argv[0]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
