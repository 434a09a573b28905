"""The scripted users of the several-servers benchmark (``bench.bench_servers``).

Every session talks to the one server it was given (sticky, as behind a load balancer), over its
own Streamlit websocket, and all run at once on one asyncio loop; session i arrives i × 3 s after
the start. Each repeats its role's steps until the deadline (at least one step, however long the
start took), with a think time between steps.

Readers need no browser: they resume a log-in from the app's session cookie on a websocket of
their own and ask the server for their pages by Streamlit's protocol (``bench/servers_wsclient.py``):

* ``executive``: views the KPI explorer, the rankings and the network overview in turn;
* ``branch_head``: views the overview, the KPI explorer and their own outlet's page.

Writers work in the browser, each in its own context of one Chromium (Debian's, through
Playwright; never a downloaded browser), and log in through the log-in form:

* ``editor`` (an executive): on the registry's outlet tab, picks one of a few shared outlets in
  turn and changes its own numeric field (editors share the outlets, so edits of one outlet
  overlap in time across the two servers);
* ``planner``: composes a one-action what-if scenario and saves it under a new name;
* ``steward``: uploads a one-row correction of its outlet's KPI for the latest month through the
  import page (restate), validates it and confirms it.

A browser step is timed from the click that starts it to the moment its result is on screen and
the script run has finished (no running indicator, no stale element); a reader's view from the
request to the server's "run finished". A step fails when it times out, when the page shows a
Streamlit exception or an error message (the app's error id), when an HTTP request of the page
fails (status ≥ 400) or its websocket closes; a browser session keeps a screenshot and carries on
from a fresh load of the server's address.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.servers_check import IMPORT_CONFIRM, REGISTRY_EDIT, SCENARIO_SAVE, Write
from bench.servers_wsclient import FINISHED, ProtocolSession
from config.translations import TEXTS
from data.demo_users import DEMO_PASSWORD
from data.importer import KINDS
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, RUN_FINISHED  # the browser tests' launch and wait
from ui.session import COOKIE_NAME

STEP_TIMEOUT_MS = 180_000  # a step slower than this counts as an error
VIEWPORT = {"width": 1280, "height": 900}
ARRIVAL_S = 3.0  # session i opens the app i × this many seconds after the start

# The browsers share the machine's cores with the servers they measure, unlike real users' browsers.
# A map (deck.gl) asks for an animation frame at every display refresh even when nothing moves:
# measured, an idle registry page with its maps cost headless Chromium about 30 % of a core (10
# frames a second: 10 %), so four editors' open maps alone took more than one of the two cores and
# starved the servers and the other browsers. The sessions' pages therefore get at most 10
# animation frames a second; the app, its pages and the server's work are unchanged.
FRAME_CAP_SCRIPT = """(() => {
  const nextFrame = window.requestAnimationFrame.bind(window);
  const cancelFrame = window.cancelAnimationFrame.bind(window);
  const pending = new Map();  // our id -> {frame} until the frame comes, then {timer}
  let last = 0;
  window.requestAnimationFrame = (callback) => {
    const id = ++last;
    pending.set(id, { frame: nextFrame(() => {
      pending.set(id, { timer: setTimeout(() => { pending.delete(id); callback(performance.now()); }, 100) });
    }) });
    return id;
  };
  window.cancelAnimationFrame = (id) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (waiting.timer !== undefined) clearTimeout(waiting.timer); else cancelFrame(waiting.frame);
  };
})();"""
READ_EXECUTIVE = "read_executive"
READ_BRANCH_HEAD = "read_branch_head"
IMPORT_STAGE = "import_stage"
LOG_IN = "log_in"
RESUME = "resume_session"
# Pages each reader views in turn: (page address, page title key); "" is the role's home page.
READ_PAGES = {
    "executive": [("kpi_explorer", "kpi_title"), ("rankings", "rank_title"), ("", "overview_title")],
    "branch_head": [("overview", "overview_title"), ("kpi_explorer", "kpi_title"), ("", "myoutlet_title")],
}


@dataclass(frozen=True)
class SessionPlan:
    """One scripted user.

    ``role``: executive, branch_head, editor, planner or steward (see the module docstring).
    ``server``: index of the app server it talks to. ``outlets``: (id, code) of the outlets an
    editor changes in turn, or the steward's one outlet. ``field``: the editor's numeric field
    (a column of ``org_unit``, an integer). ``metric``, ``month``: the KPI a steward corrects
    (month as YYYY-MM). ``cookie``: a reader's log-in session token (the app's session cookie).
    """

    number: int
    username: str
    role: str
    server: int
    lang: str
    outlets: tuple[tuple[int, str], ...] = ()
    field: str = ""
    metric: str = ""
    month: str = ""
    cookie: str = ""


@dataclass(frozen=True)
class Step:
    """One timed step: its kind, session, server, start (monotonic seconds) and duration."""

    kind: str
    session: int
    server: int
    started: float
    seconds: float
    error: str = ""


@dataclass
class Recorder:
    """What the sessions did: steps, confirmed writes, and failures seen outside a step."""

    steps: list[Step] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    stray_errors: list[str] = field(default_factory=list)
    stale_media: list[str] = field(default_factory=list)  # 404s of download files of earlier runs
    clicks_repeated: int = 0  # clicks a session made again because the first had no effect
    # Called with (session number, server index, step kind) when a browser step fails, to keep
    # what the server was doing then (thread stacks, database waits) beside the run's logs.
    on_failure: Callable[[int, int, str], None] | None = None


class StepFailed(Exception):
    """The step did not end as it should (message says what was seen)."""


def text(key: str, lang: str) -> str:
    return TEXTS[key][lang]


def template_pattern(key: str, lang: str) -> re.Pattern:
    """A translated message with ``{placeholders}`` as a pattern (placeholders match anything)."""
    parts = re.split(r"\{[a-z_]+\}", TEXTS[key][lang])
    return re.compile(".+?".join(re.escape(part) for part in parts))


class Session:
    """One user in one browser context, talking to one server."""

    def __init__(self, plan: SessionPlan, base_url: str, recorder: Recorder, shots: Path, seed: int) -> None:
        self.plan = plan
        self.base_url = base_url
        self.recorder = recorder
        self.shots = shots
        self.random = random.Random(seed * 1000 + plan.number)
        self.lang = plan.lang
        self.page = None
        self.closing = False
        self.problems: list[str] = []  # HTTP failures and closed websockets since the last check
        self.count = 0  # screenshots taken
        self.on_page: str | None = None  # navigation label key of the page on screen
        self.last_sent = self.last_received = 0.0  # monotonic time of the last websocket message each way
        self.runs_finished = 0  # script runs the server reported finished to this page

    # --- browser plumbing -----------------------------------------------------------------
    def _watch(self, page) -> None:
        page.on("response", self._on_response)
        page.on("websocket", self._on_websocket)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _on_response(self, response) -> None:
        if response.status == 404 and "/media/" in response.url:
            # A download button's file of an earlier run of the page, which Streamlit has dropped
            # since: kept apart (nobody clicked it), see the report.
            self.recorder.stale_media.append(f"session {self.plan.number}: {response.url}")
        elif response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def _on_websocket(self, socket) -> None:
        socket.on("close", lambda _: None if self.closing else self.problems.append(f"websocket closed: {socket.url}"))
        socket.on("socketerror", lambda error: self.problems.append(f"websocket error: {error}"))
        socket.on("framesent", lambda _: setattr(self, "last_sent", time.monotonic()))
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload) -> None:
        """Count the script runs the server reports finished (Streamlit's ``script_finished``)."""
        self.last_received = time.monotonic()
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "script_finished" and message.script_finished == FINISHED:
                self.runs_finished += 1

    async def _run_after(self, action) -> None:
        """Do ``action`` (a click that reruns the script) and wait until the run it started has
        finished and the page has settled. Waiting for "no run is going on" alone right after the
        click passes before the rerun has even begun, and the next check reads the page before it
        changed (the registry's edit form of the outlet picked before)."""
        runs = self.runs_finished
        await action()
        deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
        while self.runs_finished == runs:
            if time.monotonic() > deadline:
                raise StepFailed("the click's script run did not finish")
            await asyncio.sleep(0.05)
        await self._finished()

    async def _finished(self) -> None:
        await self.page.wait_for_function(RUN_FINISHED, timeout=STEP_TIMEOUT_MS)

    async def _check(self) -> None:
        """Fail the step on an exception, an error message, or a failed request since the last check."""
        page = self.page
        found = list(self.problems)
        self.problems.clear()
        for text_ in await page.locator("[data-testid='stException']").all_inner_texts():
            found.append("exception: " + text_[:300])
        for text_ in await page.locator("[data-testid='stAlertContentError']").all_inner_texts():
            found.append("error shown: " + text_[:300])
        if found:
            raise StepFailed("; ".join(found))

    async def _timed(self, kind: str, action) -> bool:
        """Run ``action``; record the step; on failure keep a screenshot and reload the server's
        address (a fresh Streamlit session, logged in again from the session cookie)."""
        started = time.monotonic()
        try:
            await action()
            await self._check()
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            self._record_failure(kind, started, error)
            await self._screenshot(kind)
            await self._recover()
            return False
        self.recorder.steps.append(Step(kind, self.plan.number, self.plan.server, started, time.monotonic() - started))
        return True

    async def _screenshot(self, kind: str) -> None:
        self.count += 1
        try:
            self.shots.mkdir(parents=True, exist_ok=True)
            path = self.shots / f"s{self.plan.number:02d}_{self.count:03d}_{kind}.png"
            await self.page.screenshot(path=path, full_page=True, timeout=30_000)
        except Exception:  # noqa: BLE001 - a screenshot is only a help for reading the failure
            pass

    async def _recover(self) -> None:
        try:
            await self.page.goto(self.base_url, wait_until="commit")
            await self.page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=60_000)
            await self._finished()
            self.problems.clear()
            self.on_page = None
        except Exception as error:  # noqa: BLE001 - counted as a stray error, the loop goes on
            self.recorder.stray_errors.append(f"session {self.plan.number}: recovery failed: {error}")

    # --- steps ------------------------------------------------------------------------------
    async def log_in(self) -> None:
        page = self.page
        await page.goto(self.base_url, wait_until="commit")
        await page.get_by_label(text("login_username", "zh")).wait_for(timeout=STEP_TIMEOUT_MS)
        if self.lang == "en":
            await page.get_by_text("English").click()
            await page.get_by_label(text("login_username", "en")).wait_for(timeout=STEP_TIMEOUT_MS)
        await page.get_by_label(text("login_username", self.lang)).fill(self.plan.username)
        await page.get_by_label(text("login_password", self.lang), exact=True).fill(DEMO_PASSWORD)
        await page.get_by_role("button", name=text("login_submit", self.lang)).click()
        await page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=STEP_TIMEOUT_MS)
        await page.locator("h1").first.wait_for(timeout=STEP_TIMEOUT_MS)
        await self._finished()

    async def open_page(self, link_key: str, title_key: str) -> None:
        """Click the page's link in the sidebar; done when its title shows and the run finished."""
        page = self.page
        await page.get_by_role("link", name=text(link_key, self.lang), exact=True).click()
        title = text(title_key, self.lang)
        await page.locator("h1").filter(has_text=title).first.wait_for(timeout=STEP_TIMEOUT_MS)
        await self._finished()
        self.on_page = link_key

    async def _click_until(self, target, done, attempts: int = 3, wait_ms: int = 20_000) -> None:
        """Click ``target`` until ``done`` (a locator) shows, up to ``attempts`` times: only for
        clicks that do not add up (a tab). Headless Chromium under this benchmark's load
        sometimes drops a click on a tab made just after a script run; a person would click
        again, and so does the session, so that the step measures the app, not the lost click."""
        for attempt in range(attempts):
            await target.click()
            try:
                await done.wait_for(timeout=wait_ms if attempt < attempts - 1 else STEP_TIMEOUT_MS)
                return
            except PlaywrightTimeout:
                self.recorder.clicks_repeated += 1
        raise PlaywrightTimeout(f"no effect after {attempts} clicks")

    async def _go(self, link_key: str, title_key: str) -> None:
        if self.on_page != link_key:
            await self.open_page(link_key, title_key)

    async def _pick(self, label_key: str, typed: str, option: re.Pattern) -> None:
        """In the select box labelled ``label_key``, type ``typed`` and choose the option matching
        ``option`` (typing narrows a long list: the drop-down only draws the options in view)."""
        page = self.page
        label = page.get_by_test_id("stWidgetLabel").get_by_text(text(label_key, self.lang), exact=True)
        box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has=label).first
        if option.search(await box.get_by_role("combobox").input_value()):
            return  # already chosen (the box's input holds the chosen option): choosing it again runs nothing
        await box.click()
        await page.keyboard.type(typed)
        await self._run_after(page.get_by_role("option").filter(has_text=option).first.click)

    async def _success(self, pattern: re.Pattern) -> None:
        """Wait for a success message matching ``pattern`` and for the run to finish."""
        await (
            self.page.get_by_test_id("stAlertContentSuccess")
            .filter(has_text=pattern)
            .first.wait_for(timeout=STEP_TIMEOUT_MS)
        )
        await self._finished()

    def _new_value(self, index: int) -> int:
        """This editor's next value of its field for the outlet of step ``index``: one more than
        its last one there, above what the demo holds (staff 100–449, machines and counters 50–94)."""
        base, span = (100, 350) if self.plan.field == "staff_count" else (50, 45)
        return base + (self.plan.number + index // len(self.plan.outlets)) % span

    async def edit_registry(self, index: int) -> None:
        """Pick the next shared outlet, change this editor's field to a new value and save."""
        outlet_id, code = self.plan.outlets[index % len(self.plan.outlets)]
        value = self._new_value(index)
        page = self.page
        save_button = page.get_by_role("button", name=text("reg_save", self.lang), exact=True)
        # This outlet's edit form: its widget keys name the outlet (reg_edit_<id>_<generation>_…).
        form_of_outlet = page.locator(f"[class*='st-key-reg_edit_{outlet_id}_']")

        async def prepare() -> None:
            await self._go("page_registry", "reg_title")
            tab_name = text("reg_tab_outlet", self.lang)
            tab = page.get_by_role("tab", name=tab_name, exact=True)
            await self._click_until(tab, page.get_by_role("tab", name=tab_name, exact=True, selected=True))
            await self._pick("reg_pick_outlet", code, re.compile("^" + re.escape(f"{code} · ")))
            if not await save_button.is_visible():
                expander = page.get_by_test_id("stExpander").filter(has_text=text("reg_edit_title", self.lang))
                await expander.first.locator("summary").click()
            await save_button.wait_for()
            code_field = form_of_outlet.get_by_label(text("reg_field_code", self.lang), exact=True)
            try:
                await expect(code_field).to_have_value(code)
            except AssertionError as error:
                shown = await code_field.input_value(timeout=5_000)
                raise StepFailed(f"the edit form shows {shown!r}, not {code!r}: {error}") from error

        if not await self._timed("registry_open", prepare):
            return
        await asyncio.sleep(self.random.uniform(0.5, 2.0))  # the user reads the form and types
        number = form_of_outlet.get_by_label(text(f"reg_field_{self.plan.field}", self.lang), exact=True)

        async def save() -> None:
            await number.fill(str(value))
            await number.press("Tab")
            await save_button.click()
            await self._success(re.compile(re.escape(text("reg_saved", self.lang))))

        if await self._timed(REGISTRY_EDIT, save):
            key = (outlet_id, self.plan.field)
            self.recorder.writes.append(
                Write(REGISTRY_EDIT, self.plan.number, self.plan.username, key, value, time.monotonic())
            )

    async def save_scenario(self, index: int) -> None:
        """Clear the actions, add one (open a new outlet, or close one), name it and save it."""
        kind = ("open", "close")[index % 2]
        name = f"bench {self.plan.username} {index + 1}"
        page = self.page
        save_button = page.get_by_role("button", name=text("scen_save", self.lang), exact=True)

        async def compose() -> None:
            await self._go("scen_page", "scen_title")
            clear = page.get_by_role("button", name=text("scen_clear", self.lang), exact=True)
            if await clear.is_enabled():
                await self._run_after(clear.click)
            label = text(f"scen_kind_{kind}", self.lang)
            await self._pick("scen_kind", label, re.compile("^" + re.escape(label) + "$"))
            # Clicked once: a second click would add a second action when the first one's run is
            # only slow (a "click again" is for tabs, whose clicks do not add up).
            await self._run_after(page.get_by_role("button", name=text("scen_add", self.lang)).click)
            await save_button.and_(page.get_by_role("button", disabled=False)).wait_for()  # the action is in
            await page.get_by_label(text("scen_name", self.lang)).fill(name)
            await self._run_after(lambda: page.get_by_label(text("scen_name", self.lang)).press("Enter"))

        if not await self._timed("scenario_compose", compose):
            return

        async def save() -> None:
            await save_button.click()
            await self._success(template_pattern("scen_saved", self.lang))

        if await self._timed(SCENARIO_SAVE, save):
            key = (self.plan.username, name)
            self.recorder.writes.append(
                Write(SCENARIO_SAVE, self.plan.number, self.plan.username, key, (kind,), time.monotonic())
            )

    async def import_correction(self, index: int) -> None:
        """Upload a one-row KPI correction (restate) of the steward's outlet, validate, confirm."""
        _, code = self.plan.outlets[0]
        value = float(1_000_000 + self.plan.number * 10_000 + index)
        file_name = f"bench_s{self.plan.number:02d}_{index:04d}.csv"
        content = f"outlet_code,metric_code,month,value\n{code},{self.plan.metric},{self.plan.month},{value:.0f}\n"
        page = self.page

        async def stage() -> None:
            await self._go("page_import", "import_title")
            title = KINDS["monthly_kpis"].title_zh if self.lang == "zh" else KINDS["monthly_kpis"].title_en
            await self._pick("import_kind", title, re.compile("^" + re.escape(title) + "$"))
            restate = page.get_by_test_id("stCheckbox").filter(has_text=text("import_restate_check", self.lang))
            if not await restate.first.locator("input").is_checked():
                await self._run_after(restate.first.locator("label").click)
            await page.locator("input[type='file']").set_input_files(
                {"name": file_name, "mimeType": "text/csv", "buffer": content.encode()}
            )
            chip = page.get_by_test_id("stFileChip").filter(has_text=file_name)
            await chip.wait_for()
            await expect(chip.get_by_test_id("stFileChipIconSpinner")).to_have_count(0)  # uploaded
            await self._finished()
            await page.get_by_role("button", name=text("import_validate", self.lang)).click()
            await self._success(template_pattern("import_staged_summary", self.lang))

        if not await self._timed(IMPORT_STAGE, stage):
            return

        async def confirm() -> None:
            await page.get_by_role("button", name=text("import_confirm", self.lang)).first.click()
            await self._success(template_pattern("import_confirmed_restated_summary", self.lang))

        if await self._timed(IMPORT_CONFIRM, confirm):
            month = f"{self.plan.month}-01"
            self.recorder.writes.append(
                Write(
                    IMPORT_CONFIRM,
                    self.plan.number,
                    self.plan.username,
                    (code, self.plan.metric, month),
                    value,
                    time.monotonic(),
                    file_name,
                )
            )

    # --- the session ------------------------------------------------------------------------
    async def read(self, deadline: float, think_s: tuple[float, float]) -> None:
        """A reader: resume the log-in from the cookie on a websocket of its own (no browser, see
        ``bench/servers_wsclient.py``) and view its pages in turn until the deadline."""
        kind = READ_EXECUTIVE if self.plan.role == "executive" else READ_BRANCH_HEAD
        pages = READ_PAGES[self.plan.role]
        await asyncio.sleep(self.plan.number * ARRIVAL_S)
        reader = ProtocolSession(self.base_url, f"{COOKIE_NAME}={self.plan.cookie}")
        started = time.monotonic()
        try:
            await reader.__aenter__()
            await reader.view("", text(pages[-1][1], self.lang), STEP_TIMEOUT_MS / 1000)  # the home page
        except Exception as error:  # noqa: BLE001 - counted and reported
            self._record_failure(RESUME, started, error)
            return
        resumed = time.monotonic() - started
        self.recorder.steps.append(Step(RESUME, self.plan.number, self.plan.server, started, resumed))
        try:
            index = 0
            while index == 0 or time.monotonic() < deadline:
                await asyncio.sleep(self.random.uniform(*think_s))
                address, title_key = pages[index % len(pages)]
                started = time.monotonic()
                try:
                    await reader.view(address, text(title_key, self.lang), STEP_TIMEOUT_MS / 1000)
                except Exception as error:  # noqa: BLE001 - counted and reported; the reader goes on
                    self._record_failure(kind, started, error)
                else:
                    step = Step(kind, self.plan.number, self.plan.server, started, time.monotonic() - started)
                    self.recorder.steps.append(step)
                index += 1
        finally:
            await reader.__aexit__(None, None, None)

    def _record_failure(self, kind: str, started: float, error: BaseException) -> None:
        message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        now = time.monotonic()
        seconds = now - started
        message += f" (after {seconds:.0f} s)"
        if self.page is not None:  # a browser step: when did its websocket last carry a message?
            sent, received = now - self.last_sent, now - self.last_received
            message += f" (websocket: last sent {sent:.0f} s, received {received:.0f} s ago)"
            if self.recorder.on_failure is not None:
                self.recorder.on_failure(self.plan.number, self.plan.server, kind)
        self.recorder.steps.append(Step(kind, self.plan.number, self.plan.server, started, seconds, message))

    async def run(self, browser, deadline: float, think_s: tuple[float, float]) -> None:
        if self.plan.role in READ_PAGES:
            await self.read(deadline, think_s)
            return
        context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN" if self.lang == "zh" else "en-US")
        context.set_default_timeout(STEP_TIMEOUT_MS)
        await context.add_init_script(FRAME_CAP_SCRIPT)
        self.page = await context.new_page()
        self._watch(self.page)
        try:
            await asyncio.sleep(self.plan.number * ARRIVAL_S)  # users do not all arrive at once
            if not await self._timed(LOG_IN, self.log_in):
                return
            self.on_page = None
            steps = {
                "editor": self.edit_registry,
                "planner": self.save_scenario,
                "steward": self.import_correction,
            }[self.plan.role]
            index = 0
            while index == 0 or time.monotonic() < deadline:  # at least one step, however slow the log-in
                await asyncio.sleep(self.random.uniform(*think_s))
                await steps(index)
                index += 1
        finally:
            self.closing = True
            await context.close()


async def run_sessions(
    plans: list[SessionPlan],
    urls: list[str],
    seconds: float,
    think_s: tuple[float, float],
    shots: Path,
    seed: int,
    on_failure: Callable[[int, int, str], None] | None = None,
) -> Recorder:
    """Run every plan's session at once against its server for ``seconds``; what they did.
    ``on_failure``: see ``Recorder.on_failure``."""
    from playwright.async_api import async_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    recorder = Recorder(on_failure=on_failure)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            deadline = time.monotonic() + seconds
            sessions = [Session(plan, urls[plan.server], recorder, shots, seed) for plan in plans]
            outcomes = await asyncio.gather(
                *(session.run(browser, deadline, think_s) for session in sessions), return_exceptions=True
            )
            for plan, outcome in zip(plans, outcomes):
                if isinstance(outcome, BaseException):
                    recorder.stray_errors.append(f"session {plan.number} stopped: {outcome!r}")
        finally:
            await browser.close()
    return recorder
