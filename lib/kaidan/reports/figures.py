"""The reports' main figures as SVG and PNG files, drawn by kaleido in a headless Chrome.

Static figures are a bonus: without a browser, or when drawing fails, the run says why and
publishes the reports without them.
"""
from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
import threading
from pathlib import Path

from kaidan.assets import GEO_JS, write_assets

# asyncio (30 ms), choreographer (60 ms) and kaleido (90 ms, it loads plotly) are imported in
# the functions that use them, so importing kaidan.reports stays light for the cli.

NO_BROWSER = ("no Chrome or Chromium found, so the static SVG/PNG figures were skipped; install one "
              "(Debian/Ubuntu: apt-get install chromium; or run plotly_get_chrome) or set BROWSER_PATH")


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido will use: $BROWSER_PATH, else choreographer's search of PATH
    (chromium, google-chrome ...) and its own download, else /usr/bin/chromium."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).is_file() else None
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
        if found:
            return str(found)
    except Exception:  # noqa: BLE001 choreographer missing or its search failed
        pass
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


class StaticFigures:
    """Writes figures as SVG and PNG with kaleido in a background thread; `close()` waits and
    returns what was written. Chrome starts on `start()` (a run whose figures will all be new
    calls it at once) or with the first figure to draw, so a run whose figures are all
    unchanged never starts it."""

    def __init__(self, folder: Path, log):
        self.folder = folder
        self.log = log
        self.written: list[Path] = []
        self.problem: str | None = None
        self.browser = find_browser()
        for noisy in ("choreographer", "kaleido", "logistro"):  # browser chatter, not our business
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
        self._queue: queue.Queue = queue.Queue()
        self._thread = None
        if self.browser is None:
            self.problem = NO_BROWSER
            return
        self._thread = threading.Thread(target=self._run, name="kaidan-static-figures", daemon=True)

    def start(self) -> None:
        """Start Chrome now (`add` does, with the first figure)."""
        if self._thread is not None and self._thread.ident is None:  # not started yet
            self._thread.start()

    def add(self, name: str, fig: dict) -> None:
        if self._thread is not None:
            self.start()
            self._queue.put((name, fig))

    def _run(self) -> None:
        import asyncio

        try:
            asyncio.run(self._main())
        except Exception as error:  # noqa: BLE001 static figures are a bonus: say why and go on
            self.problem = f"static figures failed: {type(error).__name__}: {error}"
            while not self._queue.empty():
                self._queue.get_nowait()

    async def _main(self) -> None:
        import asyncio

        import kaleido

        class Kaleido(kaleido.Kaleido):
            # kaleido reloads its page, and with it the 4.8 MB plotly.js, after every image
            # (three quarters of the export time). Its page renders each figure with
            # Plotly.toImage into a fresh div it purges, so nothing carries over: reuse the
            # tab. Should kaleido rename this hook, the override is unused and kaleido's
            # own behaviour returns; tests check each image holds its own figure.
            async def _return_kaleido_tab(self, tab) -> None:
                await self.tabs_ready.put(tab)

        env_path = os.environ.get("BROWSER_PATH")
        os.environ["BROWSER_PATH"] = self.browser
        scratch = tempfile.mkdtemp(prefix="kaidan-figures-")
        try:
            # the page kaleido draws in loads the base map too, so a map is drawn without a network
            page = kaleido.PageGenerator(mathjax=False, others=[write_assets(Path(scratch), (GEO_JS,))[0]])
            async with Kaleido(n=1, page_generator=page, timeout=120) as k:
                while True:
                    item = await asyncio.to_thread(self._queue.get)
                    if item is None:
                        return
                    await self._draw(k, *item)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            if env_path is None:
                os.environ.pop("BROWSER_PATH", None)
            else:
                os.environ["BROWSER_PATH"] = env_path

    async def _draw(self, k, name: str, fig: dict) -> None:
        """One figure as `name`.svg and `name`.png, at the size its layout asks for."""
        layout = fig.get("layout", {})
        size = {"width": int(layout.get("width") or 1000), "height": int(layout.get("height") or 500)}
        self.folder.mkdir(parents=True, exist_ok=True)
        for fmt, scale in (("svg", 1), ("png", 1)):
            path = self.folder / f"{name}.{fmt}"
            spec = {"fig": {"data": fig.get("data", []), "layout": layout}, "path": path,
                    "opts": {"format": fmt, "scale": scale, **size}}
            await k.write_fig_from_object([spec], cancel_on_error=True)
            self.written.append(path)

    def close(self, timeout: float = 300) -> list[Path]:
        if self._thread is not None and self._thread.ident is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            if self._thread.is_alive():
                self.problem = f"static figures did not finish within {timeout:.0f} s"
        return sorted(p for p in self.written if p.exists())
