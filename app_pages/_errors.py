"""One error path for every page: a message that names file, record and problem, never a traceback.

* :func:`show` puts any error on the page: a user error (broken data file, bad input, a file
  that cannot be read) as its message and a table of its problems; anything else (a bug) as a
  short notice with the id under which its traceback went to the server log
  (:func:`geo.error_notice`).
* :func:`guard` wraps one section of a page: on an error the section shows the message and the
  page goes on with what still works.
* :func:`need` runs what the rest of the page cannot do without (the core data): on an error
  it shows the message and stops the page there.
* ``app.py`` wraps the whole page run in :func:`guard` too, as the last line of defence.

Streamlit's own control flow (``st.stop()``, ``st.rerun()``) passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

import geo
from app_pages._text import plain

T = TypeVar("T")
PROBLEM_COLUMNS = ["file", "record", "field", "value", "problem"]


def show(err: BaseException, where: str, *, warning: bool = False) -> geo.UserMessage:
    """Show ``err`` on the page as a person should see it (as a warning where the page works
    on without what failed); returns the message shown."""
    notice = geo.error_notice(err, where=where)
    (st.warning if warning else st.error)(f"{where}: {notice.summary}", icon="⚠️")
    if notice.kind == "unexpected":
        return notice
    if notice.problems:
        table = pd.DataFrame(list(notice.problems), columns=PROBLEM_COLUMNS)
        table["value"] = table["value"].map(lambda v: "" if v is None else str(v))
        st.dataframe(table, hide_index=True, width="stretch")
    elif notice.details:
        st.markdown("\n".join(f"- {plain(line)}" for line in notice.details))
    return notice


def layer_warnings(data: dict) -> None:
    """A warning for each display layer (water, basemap) that could not be read, and the
    loaders' notes on the data (fields ignored and the like), folded."""
    for layer, err in data.get("layer_errors", ()):
        show(err, f"The map is drawn without its {layer} layer", warning=True)
    notes = data.get("data_warnings") or []
    if notes:
        with st.expander(f"{len(notes)} note(s) on the data files"):
            st.markdown("\n".join(f"- {plain(n)}" for n in notes))


@contextmanager
def guard(where: str) -> Iterator[None]:
    """Run a section of a page; an error becomes a message and the page goes on."""
    try:
        yield
    except ScriptControlException:
        raise
    except Exception as err:  # noqa: BLE001 - the one place a page section's errors end
        show(err, where)


def need(load: Callable[[], T], where: str) -> T:
    """``load()``, or the error's message and a stop of the page (nothing after can work)."""
    try:
        return load()
    except ScriptControlException:
        raise
    except Exception as err:  # noqa: BLE001 - shown, then the page stops
        show(err, where)
        st.caption("Fix the file named above (or choose another data folder) and reload the "
                   "page; the command line (`corridors places`, `corridors segments`) reports "
                   "the same problems.")
        st.stop()
        raise  # unreachable: st.stop() raises
