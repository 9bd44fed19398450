"""A network call gets a total deadline and reports progress while it waits (geo.deadline)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from geo import settings
from geo._errors import NetworkError
from geo.deadline import Deadline, call_with_deadline


@pytest.fixture
def silent_server():
    """A loopback server that accepts connections and never answers (as in issue 13)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/api/interpreter"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_server_that_never_answers_is_given_up_on_at_the_deadline(silent_server):
    said: list[str] = []
    deadline = Deadline(1.0, what="refresh of route 'w-e'")
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"refresh of route 'w-e': gave up at part 1/3 after "
                       r"\d s, the time limit of 1 s \(settings\.network_deadline_s\)"):
        call_with_deadline(urllib.request.urlopen, silent_server, timeout=60, deadline=deadline,
                           doing="part 1/3", progress=said.append, every_s=0.2)
    assert time.monotonic() - started < 5  # not the 60 s read timeout
    assert len(said) >= 3
    assert said[0].strip().startswith("part 1/3: still waiting (0 s of 1 s allowed)")


def test_the_deadline_counts_every_call_together():
    deadline = Deadline(0.5, what="download")
    assert call_with_deadline(lambda: (time.sleep(0.3), "first")[1], deadline=deadline) == "first"
    with pytest.raises(NetworkError, match="gave up at second"):
        call_with_deadline(time.sleep, 5, deadline=deadline, doing="second")
    with pytest.raises(NetworkError, match="gave up at third"):  # no time left: fails at once
        call_with_deadline(lambda: "never", deadline=deadline, doing="third")


def test_errors_of_the_call_come_through_unchanged():
    def broken():
        raise ConnectionRefusedError(111, "Connection refused")

    with pytest.raises(ConnectionRefusedError):
        call_with_deadline(broken, deadline=Deadline(5))


@pytest.mark.parametrize("limit", [0, -1, float("inf"), float("nan"), "soon"])
def test_a_deadline_must_be_a_positive_finite_number(monkeypatch, limit):
    monkeypatch.setattr(settings, "network_deadline_s", limit)
    with pytest.raises(NetworkError, match="must be a positive number of seconds"):
        Deadline(what="refresh")
