"""Shared fixtures: the network is blocked for every test; tiny hand-built data folders.

Tests that need the internet are marked ``online`` and run only with ``--run-online``.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path

import pytest
from helpers import (  # re-exported for test files not yet importing from helpers
    CHROMIUM_CANDIDATES,
    ROOT,
    SHIPPED_DATA,
    shipped_ready,
    square,
    tiny_world,
    write_data,
)

__all__ = ["ROOT", "SHIPPED_DATA", "square", "tiny_world", "write_data"]


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


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The real app on the shipped data (with a hostile claim), one per browser test module;
    a module that needs another app defines its own."""
    from _appbrowser import running_app
    if not shipped_ready():
        pytest.skip("shipped data not present")
    with running_app(tmp_path_factory.mktemp("app")) as url:
        yield url


@pytest.fixture
def pw():
    """Playwright, for the browser tests (skipped where it is not installed)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(pw, chromium_path, tmp_path):
    """A fresh 1280x800 browser (the smallest window the app is laid out for); a module that
    needs another size defines its own."""
    from _appbrowser import launch
    b = launch(pw, tmp_path / "profile", chromium_path, width=1280, height=800)
    try:
        yield b
    finally:
        b.context.close()


@pytest.fixture
def chromium_path() -> str:
    """Path of Debian's Chromium; the test is skipped with a reason where none is installed."""
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    pytest.skip("no Chromium found (apt-get install chromium); browser test skipped")


# ---------------------------------------------------------------------------------------------
# Tiny hand-built data folders


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


@pytest.fixture
def shipped_dir(shipped_copy, monkeypatch) -> Path:
    """A writable copy of the shipped data that ``geo.settings.data_dir`` points at (the app and
    every ``geo`` call without ``data_dir`` use it); skipped where the data is not shipped."""
    from geo import settings

    if not shipped_ready():
        pytest.skip("shipped data not present")
    monkeypatch.setattr(settings, "data_dir", shipped_copy)
    return shipped_copy


@pytest.fixture
def served_files(monkeypatch) -> dict[str, bytes]:
    """What each download button of an AppTest run serves, by file name (filled as it runs)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes | str):
            served[filename] = (path_or_data.encode() if isinstance(path_or_data, str)
                                else path_or_data)
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return served
