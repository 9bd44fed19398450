"""``make run`` starts the app with no prompt and no terminal (as a service or script would)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from _appbrowser import free_port
from helpers import ROOT


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is the answer under test
        return None


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_the_app_without_a_terminal():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as resp:
                    healthy = resp.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, f"make run exited with {proc.returncode}"
        assert healthy, "the app did not answer its health check within 120 s"
        # make run serves serve.py: an unknown path is sent to the Map, not a blank page
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(f"http://127.0.0.1:{port}/compare/x?asof=2018-01", timeout=10)
        assert answer.value.code == 302
        assert answer.value.headers["Location"] == "/?asof=2018-01"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: make and the app
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert f"http://localhost:{port}" in out
    assert "Email" not in out  # no first-run prompt
