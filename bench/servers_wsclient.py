"""A reader of the several-servers benchmark without a browser: Streamlit's own protocol on the
server's websocket (``/_stcore/stream``).

A browser is the costly part of a simulated user (on a 2-core machine 20 Chromium pages starve
the servers they are meant to load), so the reading sessions can talk to the server the way the
page's JavaScript does, without drawing anything: one websocket per session, carrying the log-in
cookie the app sets after a log-in (``branchscope_session``), and for each page view a
``rerun_script`` message naming the page; the server runs the page exactly as for a browser —
session check, queries, charts — and streams the elements back. The view is done when the server
reports the run finished; it failed when the page holds a Streamlit exception or an error
message, when its title is not the page's, or when the server says the page does not exist.
"""

from __future__ import annotations

import asyncio
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


class ViewFailed(Exception):
    """The page view did not end as it should (message says what was seen)."""


class ProtocolSession:
    """One logged-in reader on one server's websocket (use ``async with``)."""

    def __init__(self, base_url: str, cookie: str) -> None:
        self.url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.cookie = cookie
        self.socket = None

    async def __aenter__(self) -> ProtocolSession:
        from websockets.asyncio.client import connect

        self.socket = await connect(
            self.url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            open_timeout=120,
            ping_interval=None,  # the server pings; answering is automatic
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def view(self, page: str, title: str, timeout_s: float) -> None:
        """Open ``page`` (its address, e.g. "kpi_explorer") and wait for its run to finish;
        ViewFailed when the page shows an exception or an error, or another title than ``title``."""
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.context_info.timezone = "Asia/Shanghai"
        message.rerun_script.context_info.url = self.url
        await self.socket.send(message.SerializeToString())
        titles, problems = [], []
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{page} did not finish within {timeout_s:.0f} s")
            received = ForwardMsg()
            received.ParseFromString(await asyncio.wait_for(self.socket.recv(), remaining))
            kind = received.WhichOneof("type")
            if kind == "new_session":
                titles, problems = [], []  # a new run: what came before belongs to the last one
            elif kind == "page_not_found":
                problems.append(f"page not found: {received.page_not_found.page_name}")
            elif kind == "delta" and received.delta.WhichOneof("type") == "new_element":
                element = received.delta.new_element
                shown = element.WhichOneof("type")
                if shown == "exception":
                    problems.append(f"exception: {element.exception.type}: {element.exception.message[:300]}")
                elif shown == "alert" and element.alert.format == element.alert.ERROR:
                    problems.append(f"error shown: {element.alert.body[:300]}")
                elif shown == "heading" and element.heading.tag == "h1":
                    titles.append(element.heading.body)
            elif kind == "script_finished" and received.script_finished == FINISHED:
                break
        if problems:
            raise ViewFailed("; ".join(problems))
        if title not in titles:
            raise ViewFailed(f"{page}: title {title!r} not shown (titles: {titles})")
