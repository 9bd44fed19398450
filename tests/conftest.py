"""Shared fixtures: the network is blocked for every test; tiny hand-built data folders.

Tests that need the internet are marked ``online`` and run only with ``--run-online``.
"""

from __future__ import annotations

import csv
import ipaddress
import json
import shutil
import socket
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = ROOT / "data"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def pytest_addoption(parser):
    parser.addoption("--run-online", action="store_true", help="run tests marked online")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-online"):
        return
    skip = pytest.mark.skip(reason="needs the internet: run with --run-online")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)


def _is_loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def block_network(request, monkeypatch):
    """Refuse every non-loopback connection unless the test is marked ``online``."""
    if "online" in request.keywords:
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded(self, address, _real=real_connect):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            msg = f"network access blocked in tests: {address!r}"
            raise OSError(msg)
        return _real(self, address)

    def guarded_ex(self, address, _real=real_connect_ex):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            msg = f"network access blocked in tests: {address!r}"
            raise OSError(msg)
        return _real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_ex)

    def no_dns(*args, **kwargs):
        host = args[0] if args else kwargs.get("host")
        if _is_loopback((host,)):
            return real_getaddrinfo(*args, **kwargs)
        msg = f"network access blocked in tests: DNS lookup of {host!r}"
        raise socket.gaierror(msg)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)


@pytest.fixture
def chromium_path() -> str:
    """Path of Debian's Chromium; the test is skipped with a reason where none is installed."""
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    pytest.skip("no Chromium found (apt-get install chromium); browser test skipped")


# ---------------------------------------------------------------------------------------------
# Tiny hand-built data folders


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


PLACE_HEADER = [
    "id", "name_en", "name_az", "name_hy", "name_fa", "name_ru", "name_tr", "name_ka",
    "alt_names", "kind", "lon", "lat", "country", "region", "accuracy_m", "source", "as_of", "notes",
]


def tiny_world() -> dict:
    """A 3 x 1 degree strip of countries AAA | BBB | CCC along the equator, with a rail line.

    Returns plain dicts (borders, places, segments, routes) that tests may alter before
    :func:`write_data` writes them.
    """
    meta = {"source": "hand-built test fixture", "as_of": "2026-01-01", "accuracy": "exact"}
    borders = [
        {"iso3": "AAA", "name": "Aland", "geometry": square(0, 0, 1, 1)},
        {"iso3": "BBB", "name": "Bland", "geometry": square(1, 0, 2, 1)},
        {"iso3": "CCC", "name": "Cland", "geometry": square(2, 0, 3, 1)},
    ]
    places = [
        {"id": "west", "name_en": "West", "kind": "station", "lon": 0.5, "lat": 0.5, "country": "AAA"},
        {"id": "mid", "name_en": "Mid", "name_ru": "Мид", "alt_names": "Midd|Middle",
         "kind": "junction", "lon": 1.5, "lat": 0.5, "country": "BBB"},
        {"id": "east", "name_en": "East", "kind": "station", "lon": 2.5, "lat": 0.5, "country": "CCC"},
    ]
    segments = [
        {"id": "w-m", "from": "west", "to": "mid", "name": "West-Mid", "mode": "rail",
         "status": "operational", "gauge_mm": 1435, "coords": [[0.5, 0.5], [1.5, 0.5]]},
        {"id": "m-e", "from": "mid", "to": "east", "name": "Mid-East", "mode": "rail",
         "status": "planned", "gauge_mm": 1520, "coords": [[1.5, 0.5], [2.5, 0.5]]},
    ]
    routes = [
        {"id": "w-e", "name": "West to East", "origin": "west", "destination": "east",
         "segments": ["w-m", "m-e"]},
    ]
    for rows in (borders, places, segments, routes):
        for row in rows:
            for key, value in meta.items():
                row.setdefault(key, value)
    return {"borders": borders, "places": places, "segments": segments, "routes": routes}


def write_data(folder: Path, world: dict) -> Path:
    """Write a world dict from :func:`tiny_world` as a data folder the loaders read."""
    folder.mkdir(parents=True, exist_ok=True)
    feats = [
        {"type": "Feature", "geometry": b["geometry"],
         "properties": {k: v for k, v in b.items() if k != "geometry"}}
        for b in world["borders"]
    ]
    (folder / "borders.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    (folder / "water.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with (folder / "places.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=PLACE_HEADER)
        writer.writeheader()
        for p in world["places"]:
            writer.writerow({k: p.get(k, "") for k in PLACE_HEADER})
    feats = [
        {"type": "Feature",
         "geometry": {"type": "LineString", "coordinates": s["coords"]} if s.get("coords") else None,
         "properties": {k: v for k, v in s.items() if k != "coords"}}
        for s in world["segments"]
    ]
    (folder / "segments.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    (folder / "routes.yaml").write_text(yaml.safe_dump({"routes": world["routes"]}, allow_unicode=True))
    return folder


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A valid tiny data folder (see :func:`tiny_world`)."""
    return write_data(tmp_path / "data", tiny_world())


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    """A writable copy of the shipped data folder."""
    dest = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, dest)
    return dest
