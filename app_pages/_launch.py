"""Open the browser on the app once it answers, where there is a screen (``make run``).

Usage: ``python app_pages/_launch.py URL``. Waits up to two minutes for ``URL/_stcore/health``.
Without a display (a server, a container, CI) it does nothing, so it never starts a text-mode
browser in a terminal.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
import webbrowser


def has_screen() -> bool:
    return (sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY"))
            or bool(os.environ.get("WAYLAND_DISPLAY")))


def wait_healthy(url: str, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def main(argv: list[str]) -> int:
    url = argv[-1].rstrip("/")
    if has_screen() and wait_healthy(url):
        webbrowser.open(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
