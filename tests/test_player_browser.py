"""The interactive player in a real browser (headless chromium through Playwright).

Players for a strided, a padded transposed, a dilated, a numerical and a grouped figure
are loaded from files; they must log no error and make no request, step with the
buttons and keys, show the step of each output cell pointed at, and highlight exactly
the output cells that read the input cell pointed at, compared cell by cell with the
steps of the geometry layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conv_anim import ConvSpec, animate, catalog, player
from conv_anim.animation import Animation
from conv_anim.steps import ChannelStep, group_inputs

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

FIGURES = {
    "strided": lambda: catalog.get("padding_strides").animate(),
    "padded_transposed": lambda: animate(ConvSpec(3, 3, stride=2, padding=1, transposed=True)),
    "dilated": lambda: catalog.get("dilation").animate(),
    "numerical": lambda: catalog.get("numerical_padding_strides").animate(),
    "grouped": lambda: animate(ConvSpec(4, 3, in_channels=4, out_channels=2, groups=2)),
}


def text(index: tuple[int, ...]) -> str:
    return ",".join(map(str, index))


def output_text(step: Any) -> str:
    """The data-output-index of a step's output cell (channel first with channels)."""
    if isinstance(step, ChannelStep):
        return text((step.out_channel, *step.output_index))
    return text(step.output_index)


def readers(animation: Animation, role: str, index: tuple[int, ...]) -> set[str]:
    """The output cells whose steps read an input unit (or padding / inserted zero)."""
    spec, found = animation.spec, set()
    for step in animation.steps:
        if spec.has_channels:
            channel, unit = index[0], index[1:]
            reads = channel in group_inputs(spec, step.out_channel) and unit in step.input_indices
        elif role == "input":
            reads = index in step.input_indices
        else:
            reads = index in {t.position for t in step.taps if t.input_index is None}
        if reads:
            found.add(output_text(step))
    return found


@dataclass
class Loaded:
    """A page, with what it logged and asked for since its player was opened."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    animation: Animation | None = None  # the player's, once one is open
    url: str = ""

    def step(self) -> int:
        return int(self.page.get_attribute(".conv-anim-player", "data-step"))

    def active_outputs(self) -> set[str]:
        return set(self.state()["active"])

    def state(self) -> dict[str, Any]:
        """The step shown, the active output cells, the hovered cell and the status."""
        return self.page.evaluate(STATE)

    def centres(self, selector: str) -> list[tuple[str, float, float]]:
        """Each cell's data-label and the centre of its box (the cells are
        parallelograms: that is their centroid)."""
        return [tuple(item) for item in self.page.eval_on_selector_all(selector, CENTRES)]

    def point(self, x: float, y: float) -> dict[str, Any]:
        """Move the pointer there (real pointer events) and read the state."""
        self.page.mouse.move(x, y)
        return self.state()

    def away(self) -> None:
        """Move the pointer off the figure."""
        self.page.mouse.move(1, self.page.viewport_size["height"] - 2)


STATE = """() => {
  const root = document.querySelector(".conv-anim-player");
  const hovered = root.querySelector(".ca-cell.hovered");
  return {
    step: parseInt(root.dataset.step, 10),
    active: [...root.querySelectorAll(".ca-cell.active[data-output-index]")]
      .map(cell => cell.dataset.outputIndex),
    hovered: hovered ? hovered.dataset.label : null,
    status: root.querySelector(".ca-status").textContent,
  };
}"""
CENTRES = """cells => cells.map(cell => {
  const box = cell.getBoundingClientRect();
  return [cell.dataset.label, box.x + box.width / 2, box.y + box.height / 2];
})"""


#: Players written once per session, by (figure, fps, autoplay).
_WRITTEN: dict[tuple[str, float, bool], Path] = {}


def written(folder: Path, name: str, animation: Animation, fps: float, autoplay: bool) -> Path:
    key = (name, fps, autoplay)
    if key not in _WRITTEN:
        path = folder / f"{name}_{fps:g}_{autoplay}.html"
        path.write_text(player.to_document(animation, fps, autoplay=autoplay), encoding="utf-8")
        _WRITTEN[key] = path
    return _WRITTEN[key]


#: The window of the desktop tests.
DESKTOP = {"width": 1400, "height": 900}


def watch(page: Any) -> Loaded:
    """Record what ``page`` logs and asks for from now on."""
    loaded = Loaded(page)
    errors, requests = loaded.errors, loaded.requests
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    return loaded


def show(loaded: Loaded, url: str, animation: Animation) -> Loaded:
    """Open a player afresh in the page of ``loaded`` (a new document, as a reload
    gives), forgetting what the previous document logged and asked for."""
    loaded.away()
    loaded.errors.clear()
    loaded.requests.clear()
    loaded.animation, loaded.url = animation, url
    loaded.page.goto(url)
    loaded.page.wait_for_selector(".conv-anim-player[data-ready]")
    return loaded


@pytest.fixture(scope="module")
def animations() -> dict[str, Animation]:
    return {name: make() for name, make in FIGURES.items()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("players")


def device(browser: Any, **options: Any) -> Iterator[Loaded]:
    """A page in a browser context of its own (a device), recording what it logs and
    asks for; closed with the module."""
    page_context = browser.new_context(**options)
    try:
        yield watch(page_context.new_page())
    finally:
        page_context.close()


@pytest.fixture(scope="module")
def desktop(browser: Any) -> Iterator[Loaded]:
    """One desktop page for the file's tests, each opening its player afresh in it (a
    browser context costs about three page loads)."""
    yield from device(browser, viewport=DESKTOP)


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Loaded]:
    """A phone's page: narrow, touch, twice the pixels."""
    yield from device(browser, viewport={"width": 390, "height": 844}, has_touch=True,
                      is_mobile=True, device_scale_factor=2)


def open_player(page: Loaded, folder: Path, name: str, animation: Animation, *,
                autoplay: bool = False, fps: float = 1.0) -> Loaded:
    """The player of ``animation`` opened afresh in ``page`` (the desktop's, the phone's)."""
    url = written(folder, name, animation, fps, autoplay).as_uri()
    return show(page, url, animation)


@pytest.fixture(params=sorted(FIGURES))
def loaded(request, desktop, folder, animations) -> Loaded:
    """The figure's player, opened afresh, with the pointer off the figure."""
    return open_player(desktop, folder, request.param, animations[request.param])


def test_no_console_error_and_no_request_but_the_page(loaded):
    loaded.page.click('[data-action="next"]')
    loaded.page.hover(".ca-cell[data-output-index]")
    assert loaded.errors == []
    assert loaded.requests == [loaded.url]


def test_buttons_and_keys_change_the_step(loaded):
    page, count = loaded.page, len(loaded.animation)
    assert loaded.step() == 0
    assert page.get_attribute(".conv-anim-player", "data-steps") == str(count)
    page.click('[data-action="next"]')
    page.click('[data-action="next"]')
    assert loaded.step() == 2
    page.click('[data-action="prev"]')
    assert loaded.step() == 1
    page.focus(".conv-anim-player")
    page.keyboard.press("ArrowRight")
    assert loaded.step() == 2
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert loaded.step() == count - 1  # wraps around
    page.keyboard.press("ArrowRight")
    assert loaded.step() == 0
    page.fill('[data-action="scrub"]', "3")
    assert loaded.step() == 3


def test_hovering_each_output_cell_shows_its_step(loaded):
    for n, step in enumerate(loaded.animation.steps):
        selector = f'.ca-cell[data-output-index="{output_text(step)}"]'
        ((label, x, y),) = loaded.centres(selector)
        state = loaded.point(x, y)
        assert state["hovered"] == label
        assert state["step"] == n
        assert state["active"] == [output_text(step)]
    loaded.page.hover(f'.ca-cell[data-output-index="{output_text(step)}"]')  # Playwright's way
    assert loaded.step() == len(loaded.animation) - 1


def test_hovering_each_input_cell_highlights_exactly_its_readers(loaded):
    for role in ("input", "pad"):
        indices = loaded.page.eval_on_selector_all(
            f".ca-cell[data-{role}-index]", f"cells => cells.map(c => c.dataset.{role}Index)")
        centres = loaded.centres(f".ca-cell[data-{role}-index]")
        for (label, x, y), index in zip(centres, indices, strict=True):
            state = loaded.point(x, y)
            assert state["hovered"] == label
            expected = readers(loaded.animation, role, tuple(map(int, index.split(","))))
            assert set(state["active"]) == expected, (role, index)
            count = len(expected)
            plural = "s" if count != 1 else ""
            assert state["status"] == f"{label}: read by {count} output cell{plural}"
            assert state["step"] == 0


def test_a_click_pins_a_step_until_clicked_again(loaded):
    page = loaded.page
    steps = loaded.animation.steps
    page.click(f'.ca-cell[data-output-index="{output_text(steps[2])}"]')
    page.hover(f'.ca-cell[data-output-index="{output_text(steps[4])}"]')
    assert loaded.step() == 4
    loaded.away()
    assert loaded.step() == 2 and loaded.active_outputs() == {output_text(steps[2])}
    page.click(f'.ca-cell[data-output-index="{output_text(steps[2])}"]')
    loaded.away()
    assert loaded.step() == 2 and loaded.active_outputs() == set()


def test_play_pause_and_space(desktop, folder, animations):
    loaded = open_player(desktop, folder, "strided", animations["strided"], fps=20)
    page = loaded.page
    assert page.text_content('[data-action="play"]') == "Play"
    page.focus(".conv-anim-player")
    page.keyboard.press(" ")
    assert page.text_content('[data-action="play"]') == "Pause"
    page.wait_for_function(
        "document.querySelector('.conv-anim-player').dataset.step >= 3", timeout=5000)
    page.click('[data-action="play"]')
    paused = loaded.step()
    page.wait_for_timeout(200)
    assert loaded.step() == paused and page.text_content('[data-action="play"]') == "Play"


def test_autoplay_plays_unless_reduced_motion_is_asked_for(desktop, folder, animations):
    strided = animations["strided"]
    loaded = open_player(desktop, folder, "strided", strided, autoplay=True, fps=20)
    loaded.page.wait_for_function(
        "document.querySelector('.conv-anim-player').dataset.step > 0", timeout=5000)
    loaded.page.emulate_media(reduced_motion="reduce")
    try:
        loaded = open_player(desktop, folder, "strided", strided, autoplay=True, fps=20)
        loaded.page.wait_for_timeout(300)
        assert loaded.step() == 0
    finally:
        loaded.page.emulate_media(reduced_motion="null")


def test_numerical_player_writes_the_sum_of_the_step_shown(desktop, folder, animations):
    animation = animations["numerical"]
    sums = player.sums.step_sums(animation)
    loaded = open_player(desktop, folder, "numerical", animation)
    for n in (0, 4, 8):
        loaded.page.hover(f'.ca-cell[data-output-index="{output_text(animation.steps[n])}"]')
        status = loaded.page.text_content(".ca-status")
        assert status == f"output {tuple(animation.steps[n].output_index)}: {sums[n]}"


def test_controls_are_labelled_buttons_reachable_by_keyboard(desktop, folder, animations):
    loaded = open_player(desktop, folder, "strided", animations["strided"])
    page = loaded.page
    page.focus(".conv-anim-player")
    reached = []
    for _ in range(5):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "[document.activeElement.tagName, document.activeElement.dataset.action]"))
    assert reached[:5] == [["BUTTON", "prev"], ["BUTTON", "play"], ["BUTTON", "next"],
                           ["INPUT", "scrub"], ["SELECT", "speed"]]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # the focused Next button
    assert loaded.step() == 1
    names = page.eval_on_selector_all(
        "button", "buttons => buttons.map(b => b.textContent.trim())")
    assert all(names)
    assert page.get_attribute("svg.ca-figure", "aria-label") == loaded.animation.alt


@pytest.mark.parametrize("name", ["strided", "grouped"])
def test_fits_a_phone_screen_and_works_by_touch(phone, folder, animations, name):
    animation = animations[name]
    shots = Path(__file__).resolve().parent / "result_images"
    loaded = open_player(phone, folder, name, animation)
    page = loaded.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".conv-anim-player").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    figure = page.locator("svg.ca-figure").bounding_box()
    width = animation.frame_shape[1]
    assert figure["width"] <= 390
    assert figure["height"] == pytest.approx(figure["width"] * animation.frame_shape[0] / width,
                                             abs=1)
    step = animation.steps[len(animation) - 1]
    page.tap(f'.ca-cell[data-output-index="{output_text(step)}"]')
    assert loaded.step() == len(animation) - 1
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"player_390_{name}.png"), full_page=True)
    assert loaded.errors == []
