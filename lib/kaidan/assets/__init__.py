"""The scripts the reports share beside plotly.min.js, so that a page fetches nothing.

- ``kaidan-geo.js`` hands plotly.js the world base map (`world_110m.json`, Natural Earth
  1:110m, made by `kaidan.dev.basemap`) under the name plotly.js looks up before it would
  fetch one from its CDN (``window.PlotlyGeoAssets.topojson.world_110m``).
- ``kaidan-datatables.js`` is DataTables as itables ships it for offline use (its
  ``init_notebook_mode(connected=False)`` script), written once beside the reports instead
  of inlined (1 MB) into every page and notebook that shows an interactive table.

A page loads each with a classic ``<script src>``, which works from a file share (ES
modules from ``file://`` do not).
"""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

GEO_JS = "kaidan-geo.js"
DATATABLES_JS = "kaidan-datatables.js"
SHARED_ASSETS = (GEO_JS, DATATABLES_JS)
BASE_MAP = "world_110m"  # the topojson name plotly.js wants for scope "world" at resolution 110


def base_map() -> dict:
    """The world topology (objects ``countries``, ``land``, ``coastlines``)."""
    return json.loads((resources.files("kaidan.assets") / f"{BASE_MAP}.json").read_text(encoding="utf-8"))


def geo_script() -> str:
    text = (resources.files("kaidan.assets") / f"{BASE_MAP}.json").read_text(encoding="utf-8")
    return ("window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
            f"window.PlotlyGeoAssets.topojson[{json.dumps(BASE_MAP)}]={text.strip()};\n")


def datatables_script() -> str:
    """itables' offline loader (DataTables and its CSS inside) as a standalone script."""
    # imported here, not at the top: itables imports pandas, which `kaidan report`'s own process avoids
    from itables.javascript import generate_init_offline_itables_html
    from itables.options import dt_bundle

    markup = generate_init_offline_itables_html(dt_bundle)
    scripts = re.findall(r"<script>(.*?)</script>", markup, flags=re.S)
    if len(scripts) != 1:
        raise RuntimeError(f"itables' offline loader changed shape: {len(scripts)} scripts where one was expected")
    return scripts[0]


def write_assets(folder: str | Path, names: tuple[str, ...] = SHARED_ASSETS) -> list[Path]:
    """Write the named scripts (both by default) into `folder`, beside the pages that load them."""
    folder = Path(folder)
    makers = {GEO_JS: geo_script, DATATABLES_JS: datatables_script}
    written = []
    for name in names:
        path = folder / name
        path.write_text(makers[name](), encoding="utf-8")
        written.append(path)
    return written
