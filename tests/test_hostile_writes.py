"""Hostile files, links and concurrent sessions (issue 25): writes and paths.

Two sessions creating one claims file cannot both be told "saved"; temporary files of a killed
write are removed at the next start; no command writes onto the data it reads; a data file
that is a link is read with the folder it was given in; damaged OSM files and values give
messages, never crashes; a full disk gives one readable line.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml
from helpers import (
    SHIPPED_DATA,
    TINY_CLAIMS,
    export_world,
    run_cli,
    tiny_claims_folder,
)

import geo
from geo import settings
from geo._errors import ClaimsFileError, ExportError
from geo._io import (
    STALE_TEMP_AGE_S,
    atomic_write,
    atomic_write_text,
    remove_data_temp_files,
    remove_stale_temp_files,
)

OSM_FILE = SHIPPED_DATA.parent / "tests" / "data" / "osm" / "akhalkalaki_kartsakhi.osm"

pytestmark = pytest.mark.filterwarnings("ignore::geo._errors.ClaimCheckWarning")


@pytest.fixture
def folder(tmp_path):
    return tiny_claims_folder(tmp_path / "data")


def new_doc(article_id: str = "new-article") -> dict:
    doc = yaml.safe_load(TINY_CLAIMS.read_text(encoding="utf-8"))
    doc["article"]["id"] = article_id
    return doc


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------------------------------
# 1. Exclusive create


def test_a_hundred_threads_saving_one_new_claims_file_give_one_saved(folder):
    docs = []
    for i in range(100):
        doc = new_doc()
        doc["article"]["title"] = f"Session {i}"
        docs.append(doc)
    barrier = threading.Barrier(len(docs))
    results: list[object] = [None] * len(docs)

    def save(i: int) -> None:
        barrier.wait()
        try:
            results[i] = geo.save_claims(docs[i], data_dir=folder)
        except ClaimsFileError as err:
            results[i] = err

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [i for i, r in enumerate(results) if isinstance(r, Path)]
    refused = [r for r in results if isinstance(r, ClaimsFileError)]
    assert len(saved) == 1 and len(refused) == 99
    assert all("file exists" in str(r) and "left unchanged" in str(r) for r in refused)
    path = folder / "claims" / "new-article.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Claims recorded")
    assert yaml.safe_load(text) == docs[saved[0]]  # one whole document, the one told "saved"
    assert temp_files(folder / "claims") == []


def _create_in_child(args) -> str:
    path, text, barrier = args
    barrier.wait()
    try:
        atomic_write_text(path, text, exclusive=True)
    except FileExistsError:
        return "exists"
    return "saved"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
def test_processes_racing_to_create_one_file_give_one_saved(tmp_path):
    ctx = multiprocessing.get_context("fork")
    n = 8
    barrier = ctx.Manager().Barrier(n)
    path = tmp_path / "shared.txt"
    texts = [f"process {i}\n" * 1000 for i in range(n)]
    with ctx.Pool(n) as pool:
        outcome = pool.map(_create_in_child, [(path, t, barrier) for t in texts])
    assert sorted(outcome) == ["exists"] * (n - 1) + ["saved"]
    assert path.read_text() in texts
    assert temp_files(tmp_path) == []


def test_an_exclusive_write_never_replaces_and_leaves_nothing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("first")
    with pytest.raises(FileExistsError) as caught:
        atomic_write_text(path, "second", exclusive=True)
    assert caught.value.filename == str(path)
    assert path.read_text() == "first"
    assert temp_files(tmp_path) == []
    atomic_write_text(path, "third")  # without exclusive: replaced as before
    assert path.read_text() == "third"


def test_an_exclusive_write_without_hard_links_is_still_exclusive(tmp_path, monkeypatch):
    def no_links(src, dst, **kw):
        raise OSError(errno.EPERM, "Operation not permitted", str(src))

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "b.txt"
    atomic_write(path, lambda tmp: tmp.write_text("whole"), exclusive=True)
    assert path.read_text() == "whole"
    with pytest.raises(FileExistsError):
        atomic_write(path, lambda tmp: tmp.write_text("other"), exclusive=True)
    assert path.read_text() == "whole"
    assert temp_files(tmp_path) == []


def test_saving_over_an_existing_file_still_needs_overwrite(folder):
    geo.save_claims(new_doc(), data_dir=folder)
    with pytest.raises(ClaimsFileError, match="earlier version"):
        geo.save_claims(new_doc(), data_dir=folder)
    doc = new_doc()
    doc["article"]["title"] = "Replaced"
    geo.save_claims(doc, data_dir=folder, overwrite=True)
    assert geo.load_articles(data_dir=folder).set_index("article_id").loc[
        "new-article", "title"] == "Replaced"


def test_draft_out_is_exclusive_too(folder, tmp_path, monkeypatch):
    article = tmp_path / "article.txt"
    article.write_text("Trains run from Mid to East.", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    real = atomic_write_text

    def late_rival(path, text, **kw):  # another session creates the file after the check
        Path(path).write_text("rival\n")
        return real(path, text, **kw)

    monkeypatch.setattr("geo.cli.claims.atomic_write_text", late_rival)
    code, _, err = run_cli("--data-dir", folder, "claims", "draft", article, "--out", out)
    assert code == 2
    assert f"{out}: file exists and was left unchanged" in err
    assert out.read_text() == "rival\n"


# ---------------------------------------------------------------------------------------------
# 2. Temporary files of killed writes


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_stale_temporary_files_are_removed_and_nothing_else(tmp_path):
    old = tmp_path / ".places.csv.ab12_x9z.tmp"
    side = tmp_path / ".all.gpkg.k3j4h5g6.tmp.gpkg-journal"
    fresh = tmp_path / ".routes.yaml.qwertyui.tmp"  # a write still running
    others = [tmp_path / "notes.tmp", tmp_path / ".notes.tmp", tmp_path / "places.csv",
              tmp_path / ".x.ABCDEFGH.tmp", tmp_path / ".x.abc.tmp"]
    for path in [old, side, fresh, *others]:
        path.write_text("x")
    folder_like = tmp_path / ".dir.abcdefgh.tmp"
    folder_like.mkdir()
    link = tmp_path / ".link.abcdefgh.tmp"
    link.symlink_to(tmp_path / "places.csv")
    for path in [old, side, *others, folder_like]:
        _age(path, STALE_TEMP_AGE_S + 60)
    os.utime(link, (time.time() - 3600,) * 2, follow_symlinks=False)
    removed = remove_stale_temp_files(tmp_path)
    assert sorted(removed) == sorted([old, side])
    assert all(p.exists() for p in [fresh, *others, folder_like, link])
    assert remove_stale_temp_files(tmp_path / "missing") == []


def test_the_cli_removes_stale_temporary_files_at_start(folder, capsys):
    stale = [folder / ".places.csv.aaaabbbb.tmp", folder / "claims" / ".x.yaml.ccccdddd.tmp"]
    (folder / "osm").mkdir()
    stale.append(folder / "osm" / ".snapped.geojson.eeeeffff.tmp")
    for path in stale:
        path.write_text("half")
        _age(path, STALE_TEMP_AGE_S + 1)
    live = folder / ".routes.yaml.gggghhhh.tmp"
    live.write_text("being written")
    code, _, err = run_cli("--data-dir", folder, "places")
    assert code == 0
    assert not any(p.exists() for p in stale)
    assert live.exists()
    assert "note: removed 3 temporary file(s)" in err


def test_the_app_removes_stale_temporary_files_at_start(folder, monkeypatch):
    from app_pages import _data

    stale = folder / "claims" / ".x.yaml.ccccdddd.tmp"
    stale.write_text("half")
    _age(stale, STALE_TEMP_AGE_S + 1)
    monkeypatch.setattr(settings, "data_dir", folder)
    monkeypatch.setattr(_data.webassets, "copy_leaflet", lambda *a, **k: None)
    monkeypatch.setattr(_data.webassets, "write_bundle", lambda *a, **k: None)
    _data.install_leaflet()
    assert not stale.exists()
    assert remove_data_temp_files(folder) == []


# ---------------------------------------------------------------------------------------------
# 3. No output onto the data


@pytest.fixture
def world(tmp_path):
    return export_world(tmp_path / "data")


@pytest.mark.parametrize("dataset", ["places", "segments", "borders"])
@pytest.mark.parametrize("suffix", ["csv", "geojson"])
def test_export_refuses_to_write_into_the_data_folder(world, dataset, suffix):
    target = world / f"{dataset}.{suffix}"
    before = {p.name: p.read_bytes() for p in world.iterdir() if p.is_file()}
    code, _, err = run_cli("--data-dir", world, "export", "--out", target, "--dataset", dataset)
    assert code == 2
    assert f"{target}: is inside the data folder" in err
    assert {p.name: p.read_bytes() for p in world.iterdir() if p.is_file()} == before
    assert run_cli("--data-dir", world, "segments")[0] == 0


@pytest.mark.parametrize("argv", [
    ["export", "--out", "{d}/osm/all.gpkg"],
    ["export", "--out", "{link}/places.csv", "--dataset", "places"],
    ["export", "--out", "{d}/../data/routes.csv"],
    ["snapshot", "--out", "{d}/map.html"],
    ["snapshot", "--out", "{d}/map.svg"],
    ["claims", "draft", "{article}", "--out", "{d}/claims/new.yaml"],
])
def test_no_command_writes_into_the_data_folder(world, tmp_path, argv):
    (world / "osm").mkdir()
    link = tmp_path / "link"
    link.symlink_to(world)
    article = tmp_path / "article.txt"
    article.write_text("Trains run from Mid to East.", encoding="utf-8")
    args = [a.format(d=world, link=link, article=article) for a in argv]
    before = sorted(p.relative_to(world) for p in world.rglob("*"))
    code, _, err = run_cli("--data-dir", world, *args)
    assert code == 2
    assert "is inside the data folder" in err
    assert sorted(p.relative_to(world) for p in world.rglob("*")) == before


def test_export_refuses_to_replace_its_own_input(world, tmp_path):
    scenario = tmp_path / "assumptions.yaml"
    shutil.copy(SHIPPED_DATA / "assumptions.yaml", scenario)
    before = scenario.read_bytes()
    code, _, err = run_cli("--data-dir", world, "export", "--out", scenario, "--assumptions",
                           scenario)
    assert code == 2
    assert f"{scenario}: is the file this command reads (--assumptions" in err
    assert scenario.read_bytes() == before


def test_an_export_beside_the_data_folder_still_works(world, tmp_path):
    out = tmp_path / "places.csv"
    code, _, _ = run_cli("--data-dir", world, "export", "--out", out, "--dataset", "places")
    assert code == 0 and out.stat().st_size > 0


# ---------------------------------------------------------------------------------------------
# 4. A data file that is a link


def test_a_linked_segments_file_is_read_with_the_folder_it_was_given_in(world, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (world / "segments.geojson").rename(elsewhere / "segments.geojson")
    (world / "segments.geojson").symlink_to(elsewhere / "segments.geojson")
    segments = geo.load_segments(world)
    assert list(segments.index) == ["w-m", "m-e"]
    code, out, err = run_cli("--data-dir", world, "segments", "--format", "json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == ["w-m", "m-e"]
    code, _, err = run_cli("--data-dir", world, "routes")
    assert code == 0, err
    assert str(elsewhere / "places.csv") not in err


def test_a_linked_data_folder_still_loads(world, tmp_path):
    link = tmp_path / "linked"
    link.symlink_to(world)
    assert run_cli("--data-dir", link, "segments")[0] == 0


# ---------------------------------------------------------------------------------------------
# 5. A damaged snapped file


@pytest.mark.parametrize("damage", [
    "garbage{", '{"features": [1, 2]}', '{"features": [{"properties": [1]}]}',
    '{"features": [{"properties": {"id": ["w-m"]}}]}', '{"features": [], "metadata": [1]}',
    '[1, 2]', "\ufeff{}",
])
def test_a_damaged_snapped_file_is_an_error_naming_it_and_reset_fixes_it(world, damage):
    (world / "osm").mkdir()
    path = world / "osm" / "snapped.geojson"
    path.write_text(damage, encoding="utf-8")
    code, _, err = run_cli("--data-dir", world, "segments")
    assert code == 2, err
    assert str(path) in err and "internal error" not in err
    assert "osm reset" in err
    code, _, err = run_cli("--data-dir", world, "osm", "status")
    assert code == 0, err
    assert run_cli("--data-dir", world, "osm", "reset")[0] == 0
    assert run_cli("--data-dir", world, "segments")[0] == 0


# ---------------------------------------------------------------------------------------------
# 6. Smaller: OSM values, unreadable claims folder, full disk


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_osm_import_of_a_file_with_a_coordinate_that_is_not_a_number(world, tmp_path, value):
    bad = tmp_path / "bad.osm"
    bad.write_text(OSM_FILE.read_text(encoding="utf-8").replace('lat="41.328382"',
                                                                f'lat="{value}"'))
    code, _, err = run_cli("--data-dir", world, "osm", "import", bad)
    assert code == 2
    assert f"{bad}: not a readable OSM XML file" in err and value in err
    assert "internal error" not in err


@pytest.mark.parametrize("buffer_km", ["1e308", "nan", "inf", "0", "-1", "5000"])
def test_osm_import_refuses_a_buffer_that_is_not_a_sane_number_of_km(world, buffer_km):
    code, _, err = run_cli("--data-dir", world, "osm", "import", OSM_FILE, "--route", "w-e",
                           "--buffer-km", buffer_km)
    assert code == 2
    assert "buffer_km must be a positive, finite number of km, at most 1000" in err


def test_an_unreadable_claims_folder_is_said_not_listed_as_empty(folder, monkeypatch):
    real = os.listdir
    claims = folder / "claims"

    def listdir(path="."):
        if Path(path) == claims:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    code, out, err = run_cli("--data-dir", folder, "claims")
    assert code == 2
    assert "(no rows)" not in out
    assert f"{claims}: the claims folder cannot be read (Permission denied)" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_a_claims_folder_with_mode_000_is_said_not_listed_as_empty(folder):
    claims = folder / "claims"
    claims.chmod(0)
    try:
        code, out, err = run_cli("--data-dir", folder, "claims")
    finally:
        claims.chmod(0o755)
    assert code == 2 and "(no rows)" not in out
    assert "cannot be read" in err


def test_a_full_disk_during_a_geopackage_export_is_one_short_line(world, tmp_path, monkeypatch):
    import geopandas as gpd
    from pyogrio.errors import FeatureError

    sql = "INSERT INTO routes VALUES (" + ", ".join(["'x'"] * 2000) + ")"

    def full(self, path, *args, **kwargs):
        Path(path).write_bytes(b"\0" * 100)
        raise FeatureError(f"sqlite3_exec({sql}) failed: database or disk is full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", full)
    out = tmp_path / "all.gpkg"
    with pytest.raises(ExportError) as caught:
        geo.export_data(out, data_dir=world)
    message = str(caught.value)
    assert "\n" not in message and len(message) - len(str(out)) < 350
    code, _, err = run_cli("--data-dir", world, "export", "--out", out)
    assert code == 2
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 1 and len(lines[0]) - len(str(out)) < 400
    line = lines[0]
    assert f"{out}: writing the GeoPackage failed" in line and "free" in line
    assert not out.exists() and temp_files(tmp_path) == []
