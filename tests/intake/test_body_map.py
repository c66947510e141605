"""The body map: the patient's input and the clinicians' picture.

The page used by the browser tests is served by tests/intake/body_map_urls.py.
"""

import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string

from intake.choices import BACK_REGIONS, BodyRegion
from intake.templatetags.body_map import BACK_TWINS, REGIONS, body_map_regions, region_labels
from tests.helpers import PHONE_VIEWPORT, axe_violations


class PainSitesForm(forms.Form):
    current_pain_sites = forms.MultipleChoiceField(
        label="Where do you have pain now?",
        help_text="Mark every place that hurts.",
        choices=BodyRegion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


FIELD = "current_pain_sites"
FRONT_CODES = [r["code"] for r in REGIONS if r["view"] == "front"]
BACK_CODES = [r["code"] for r in REGIONS if r["view"] == "back"]
Y_OF = {r["code"]: r["y"] for r in REGIONS}


class Page(HTMLParser):
    """The tags of an HTML fragment, with each label's text and each element's
    enclosing list (class body-map-list) and figure noted."""

    def __init__(self, html):
        super().__init__()
        self.tags = []  # (tag, attrs) in document order
        self.label_text = {}  # for= -> text
        self.labels_for = []  # the for= of every label, in document order
        self.list_of_input = {}  # input id -> index of its body-map-list
        self.text_of_class = {}  # class of an <li> in the picture's list -> text
        self._label_for = None
        self._li_class = None
        self._lists = 0
        self._in_list = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        classes = (attrs.get("class") or "").split()
        if tag == "label":
            self._label_for = attrs.get("for")
            self.label_text.setdefault(self._label_for, "")
            self.labels_for.append(self._label_for)
        if tag == "ul" and "body-map-list" in classes:
            self._lists += 1
            self._in_list = True
        if tag == "input" and self._in_list:
            self.list_of_input[attrs.get("id")] = self._lists
        if tag == "li" and classes and classes[0].startswith("bm-picture-"):
            self._li_class = classes[0]
            self.text_of_class[self._li_class] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        if tag == "ul":
            self._in_list = False
        if tag == "li":
            self._li_class = None

    def handle_data(self, data):
        if self._label_for:
            self.label_text[self._label_for] += data
        if self._li_class:
            self.text_of_class[self._li_class] += data

    def find(self, tag, **wanted):
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]

    def checkboxes(self):
        return [a for a in self.find("input") if a.get("type") == "checkbox"]


def render_map(form):
    return render_to_string("includes/_body_map.html", {"field": form[FIELD], "map_id": "current"})


def render_picture(**sites):
    return render_to_string("includes/_body_map_picture.html", sites)


# The input ---------------------------------------------------------------


def test_one_labelled_checkbox_per_region():
    page = Page(render_map(PainSitesForm()))
    boxes = page.checkboxes()

    assert len(boxes) == 27
    assert {b["value"] for b in boxes} == set(BodyRegion.values)
    for box in boxes:
        assert box["name"] == FIELD
        assert box["id"] == f"id_{FIELD}_{box['value']}"
        assert page.label_text[box["id"]].strip() == BodyRegion(box["value"]).label
    # The back of the neck and legs are second labels for the front's checkboxes, empty and
    # hidden from screen readers, so each region is still one checkbox with one name.
    twins = [f"id_{FIELD}_{t['code']}" for t in BACK_TWINS]
    assert len(page.find("label")) == 27 + len(twins)
    assert sorted(f for f in page.labels_for if page.labels_for.count(f) == 2) == sorted(twins * 2)
    (hidden,) = page.find("div", class_="bm-twins")
    assert hidden["aria-hidden"] == "true"


def test_the_back_figure_has_the_neck_buttocks_and_backs_of_the_legs():
    back = {r["code"] for r in body_map_regions("back")} | {t["code"] for t in BACK_TWINS}
    assert back == {
        "neck",
        "upper_back",
        "lower_back",
        "buttocks",
        "left_thigh",
        "right_thigh",
        "left_knee",
        "right_knee",
        "left_lower_leg",
        "right_lower_leg",
    }
    x = {t["code"]: t["x"] for t in BACK_TWINS}
    for part in ("thigh", "knee", "lower_leg"):  # on the back, the patient's left is on the left
        assert x[f"left_{part}"] < 50 < x[f"right_{part}"], part


def test_every_back_twin_has_its_marked_style():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "body_map.css").read_text()
    for twin in BACK_TWINS:
        code = twin["code"]
        assert f'.body-map:has(.bm-marker[value="{code}"]:checked) [data-twin="{code}"]' in css


def test_one_fieldset_with_legend_hint_and_decorative_drawings():
    html = render_map(PainSitesForm())
    page = Page(html)

    (fieldset,) = page.find("fieldset")
    assert fieldset["aria-describedby"] == f"id_{FIELD}-hint"
    assert page.find("p", id=f"id_{FIELD}-hint")
    assert re.search(r"<legend[^>]*>Where do you have pain now\?</legend>", html)
    assert "Mark every place that hurts." in html
    assert "Front of body" in html and "Back of body" in html
    assert html.count("Your left") == 2 and html.count("Your right") == 2
    svgs = page.find("svg")
    assert svgs and all(s.get("aria-hidden") == "true" for s in svgs)
    assert all(s.get("focusable") == "false" for s in svgs)
    assert page.find("ul", class_="body-map-list")


def test_no_inline_style_script_or_link():
    html = render_map(PainSitesForm()) + render_picture(current_sites=["head"])
    page = Page(html)
    assert not [attrs for _, attrs in page.tags if "style" in attrs]
    assert not [tag for tag, _ in page.tags if tag in {"style", "script", "link"}]


def test_nothing_checked_without_a_value():
    assert PainSitesForm()[FIELD].value() is None
    assert not [b for b in Page(render_map(PainSitesForm())).checkboxes() if "checked" in b]


def test_checked_state_comes_from_the_value():
    for form in (
        PainSitesForm(initial={FIELD: ["left_knee", "lower_back"]}),
        PainSitesForm(data={FIELD: ["left_knee", "lower_back"]}),
    ):
        boxes = Page(render_map(form)).checkboxes()
        assert sorted(b["value"] for b in boxes if "checked" in b) == ["left_knee", "lower_back"]


def test_errors_are_shown_and_described():
    form = PainSitesForm(data={FIELD: ["left_knee", "elbow"]})
    assert not form.is_valid()
    html = render_map(form)
    page = Page(html)

    (error,) = page.find("div", id=f"id_{FIELD}-error")
    assert error["class"] == "invalid-feedback d-block"
    assert "Select a valid choice. elbow is not one of the available choices." in html
    (fieldset,) = page.find("fieldset")
    assert fieldset["aria-describedby"].split() == [f"id_{FIELD}-hint", f"id_{FIELD}-error"]
    # The valid part of the answer stays marked.
    assert [b["value"] for b in page.checkboxes() if "checked" in b] == ["left_knee"]


def test_no_error_block_without_errors():
    assert f"id_{FIELD}-error" not in render_map(PainSitesForm(data={FIELD: ["head"]}))


def test_dom_order_is_head_to_foot_front_then_back():
    page = Page(render_map(PainSitesForm()))
    order = [b["value"] for b in page.checkboxes()]

    assert order == FRONT_CODES + BACK_CODES
    assert order[:3] == ["head", "face", "neck"]
    assert set(order[-5:-3]) == {"left_foot", "right_foot"}
    assert order[-3:] == ["upper_back", "lower_back", "buttocks"]
    for codes in (FRONT_CODES, BACK_CODES):
        ys = [Y_OF[code] for code in codes]
        assert ys == sorted(ys)
    # Front and back each have their own list, front first.
    assert {page.list_of_input[f"id_{FIELD}_{c}"] for c in FRONT_CODES} == {1}
    assert {page.list_of_input[f"id_{FIELD}_{c}"] for c in BACK_CODES} == {2}


# The geometry --------------------------------------------------------------


def test_region_table_matches_the_choices():
    assert sorted(r["code"] for r in body_map_regions()) == sorted(BodyRegion.values)
    assert {r["code"] for r in body_map_regions("back")} == {str(c) for c in BACK_REGIONS}
    for region in REGIONS:
        assert region["label"] == BodyRegion(region["code"]).label
        assert isinstance(region["x"], int) and 0 <= region["x"] <= 100
        assert isinstance(region["y"], int) and 0 <= region["y"] <= 200
        assert region["shape"].startswith("M") and region["shape"].endswith("Z")


def test_patient_left_is_on_the_viewers_right_of_the_front():
    x = {r["code"]: r["x"] for r in REGIONS}
    for part in ("shoulder", "upper_arm", "forearm", "hand", "hip", "thigh", "knee", "foot"):
        assert x[f"left_{part}"] > 50 > x[f"right_{part}"], part


def test_markers_are_well_apart():
    # 14 units are 41 px at the narrowest drawing (a 320 px phone), so 28 px
    # markers keep a gap of at least 13 px between them.
    for view in ("front", "back"):
        regions = body_map_regions(view) + (BACK_TWINS if view == "back" else [])
        for i, a in enumerate(regions):
            for b in regions[i + 1 :]:
                distance = math.dist((a["x"], a["y"]), (b["x"], b["y"]))
                assert distance >= 12.9, (a["code"], b["code"], distance)


def test_stylesheet_has_a_position_class_for_every_marker():
    css = (Path(settings.BASE_DIR) / "static/css/body_map.css").read_text()
    for region in REGIONS + BACK_TWINS:
        assert f".bm-x-{region['x']} {{ left: {region['x']}%; }}" in css
        assert f".bm-y-{region['y']} {{ margin-top: {region['y']}%; }}" in css


def test_region_labels_filter():
    assert region_labels(["left_foot", "head", "unknown"]) == ["Head", "Left foot", "unknown"]
    assert region_labels(None) == []


# The picture ---------------------------------------------------------------


def test_picture_lists_each_region_in_its_group():
    page = Page(
        render_picture(
            first_sites=["lower_back", "left_thigh"],
            current_sites=["lower_back", "left_thigh", "left_knee", "right_shoulder"],
            new_sites=["left_knee"],
        )
    )
    text = {k: " ".join(v.split()) for k, v in page.text_of_class.items()}

    assert text["bm-picture-first"] == "Where pain started: Left thigh, Lower back"
    assert text["bm-picture-current"] == (
        "Where it hurts now: Right shoulder, Left thigh, Left knee, Lower back"
    )
    assert text["bm-picture-new"] == "New since last visit: Left knee"

    (svg,) = page.find("svg", role="img")
    assert svg["aria-label"] == (
        "Body map. Where pain started: Left thigh, Lower back. Where it hurts now: "
        "Right shoulder, Left thigh, Left knee, Lower back. New since last visit: Left knee."
    )
    # Each group's shapes are drawn in their own layer.
    drawn = {}
    group = None
    for tag, attrs in page.tags:
        if tag == "g" and (attrs.get("class") or "").startswith("bm-pic-"):
            group = attrs["class"]
        if tag == "path" and "data-region" in attrs:
            drawn.setdefault(group, []).append(attrs["data-region"])
    assert sorted(drawn["bm-pic-first"]) == ["left_thigh", "lower_back"]
    assert sorted(drawn["bm-pic-current"]) == [
        "left_knee",
        "left_thigh",
        "lower_back",
        "right_shoulder",
    ]
    assert drawn["bm-pic-new"] == ["left_knee"]


def test_picture_with_nothing_marked():
    page = Page(render_picture(first_sites=None, current_sites=[], new_sites=None))
    for text in page.text_of_class.values():
        assert text.endswith("none marked")
    assert not [a for t, a in page.tags if t == "path" and "data-region" in a]


def test_two_pictures_on_one_page_do_not_share_ids():
    html = (
        engines["django"]
        .from_string(
            '{% include "includes/_body_map_picture.html" with first_sites=a %}'
            '{% include "includes/_body_map_picture.html" with first_sites=a %}'
        )
        .render({"a": ["head"]})
    )
    ids = [a["id"] for _, a in Page(html).tags if "id" in a]
    assert len(ids) == 2 and len(set(ids)) == 2


# In the browser --------------------------------------------------------------

BOXES = "input.bm-marker"


def box_of(page, element_id):
    return page.locator(f"#{element_id}").bounding_box()


def overlaps(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def tab_until_checkbox(page, limit=30):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused.startswith(f"id_{FIELD}_"):
            return focused
    raise AssertionError("no body map checkbox took the focus")


@pytest.mark.browser
@pytest.mark.urls("tests.intake.body_map_urls")
def test_body_map_on_a_phone(page, live_server):
    page.goto(f"{live_server.url}/body-map/")

    # Fits a 390 px phone without sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Every checkbox is a 24 x 24 px target at least, and no two overlap.
    boxes = [
        (code, page.locator(f"#id_{FIELD}_{code}").bounding_box())
        for code in FRONT_CODES + BACK_CODES
    ]
    for code, box in boxes:
        assert box["width"] >= 24 and box["height"] >= 24, code
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, code
    for i, (code_a, a) in enumerate(boxes):
        for code_b, b in boxes[i + 1 :]:
            assert not overlaps(a, b), (code_a, code_b)
    # Head to foot on the screen too.
    front_tops = [box["y"] for code, box in boxes if code in FRONT_CODES]
    assert front_tops == sorted(front_tops)

    # The keyboard reaches the checkboxes head to foot, front then back.
    first = tab_until_checkbox(page)
    assert first == f"id_{FIELD}_head"
    order = [first]
    for _ in range(26):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == [f"id_{FIELD}_{code}" for code in FRONT_CODES + BACK_CODES]

    # Tab back to the left knee and mark it with Space.
    knee = page.locator(f"#id_{FIELD}_left_knee")
    label = page.locator(f"label.bm-label[for=id_{FIELD}_left_knee]")
    halo = page.locator(f"#id_{FIELD}_left_knee ~ .bm-halo")
    background = "getComputedStyle(document.getElementById('id_%s_left_knee')).backgroundColor"
    unchecked_background = page.evaluate(background % FIELD)
    assert label.bounding_box()["width"] <= 1  # the name is hidden until marked
    assert not halo.is_visible()
    for _ in range(len(order) - order.index(f"id_{FIELD}_left_knee") - 1):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == f"id_{FIELD}_left_knee"
    page.keyboard.press("Space")

    assert knee.is_checked()
    assert page.evaluate(background % FIELD) != unchecked_background
    assert halo.is_visible()
    assert label.is_visible() and label.bounding_box()["height"] >= 24  # shown as a tag
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    assert axe_violations(page) == []

    # Space again takes the mark away; the form sends what is marked.
    page.keyboard.press("Space")
    assert not knee.is_checked()
    page.locator(f"#id_{FIELD}_lower_back").check()
    page.locator(f"#id_{FIELD}_head").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    checked = page.locator(f"{BOXES}:checked")
    assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == ["head", "lower_back"]


@pytest.mark.browser
@pytest.mark.urls("tests.intake.body_map_urls")
def test_a_tap_on_the_back_of_a_leg_marks_that_leg(page, live_server):
    page.goto(f"{live_server.url}/body-map/")
    thigh = page.locator(f"#id_{FIELD}_left_thigh")
    back_of_thigh = page.locator('[data-twin="left_thigh"] .bm-twin')
    back_box = back_of_thigh.bounding_box()
    back_figure = page.locator(".bm-figure--back").bounding_box()
    # On the back figure, on the patient's left (the viewer's left there).
    assert back_figure["y"] < back_box["y"] < back_figure["y"] + back_figure["height"]
    assert back_box["x"] + back_box["width"] / 2 < back_figure["x"] + back_figure["width"] / 2
    assert back_box["width"] >= 44 and back_box["height"] >= 44

    unmarked = back_of_thigh.evaluate("e => getComputedStyle(e).backgroundColor")
    # Where a thumb taps: mid-screen.
    back_of_thigh.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    back_of_thigh.click()
    assert thigh.is_checked()
    # The view does not jump up to the front drawing's checkbox (static/js/body_map.js): the
    # marked target is still on screen (it moves down a little as the name appears under the
    # front drawing).
    top, bottom = back_of_thigh.evaluate(
        "e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom]"
    )
    assert top >= 0 and bottom <= page.viewport_size["height"]
    assert page.evaluate("document.activeElement.id") != f"id_{FIELD}_left_thigh"
    assert back_of_thigh.evaluate("e => getComputedStyle(e).backgroundColor") != unmarked
    assert page.locator('[data-twin="left_thigh"] .bm-halo').is_visible()
    # The name shows once, under the front drawing, where the one checkbox is.
    assert page.locator(f"label[for=id_{FIELD}_left_thigh].bm-label").is_visible()
    assert axe_violations(page) == []

    back_of_thigh.click()
    assert not thigh.is_checked()
    page.locator('[data-twin="neck"] .bm-twin').click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    checked = page.locator(f"{BOXES}:checked")
    assert checked.evaluate_all("els => els.map(e => e.value)") == ["neck"]


@pytest.mark.browser
@pytest.mark.urls("tests.intake.body_map_urls")
def test_without_javascript_the_back_of_a_leg_still_marks_that_leg(open_page, live_server):
    page = open_page(viewport=PHONE_VIEWPORT, java_script_enabled=False)
    page.goto(f"{live_server.url}/body-map/")
    page.locator('[data-twin="right_knee"] .bm-twin').click()
    assert page.locator(f"#id_{FIELD}_right_knee").is_checked()
    page.get_by_role("button", name="Save").click()
    checked = page.locator(f"{BOXES}:checked")
    assert checked.evaluate_all("els => els.map(e => e.value)") == ["right_knee"]


@pytest.mark.browser
@pytest.mark.urls("tests.intake.body_map_urls")
def test_body_map_on_a_desktop(desktop_page, live_server):
    page = desktop_page
    page.goto(f"{live_server.url}/body-map/?checked=left_knee&checked=buttocks")

    front = page.locator(".bm-figure--front").bounding_box()
    back = page.locator(".bm-figure--back").bounding_box()
    assert front["y"] == back["y"] and back["x"] > front["x"] + front["width"]  # side by side
    assert page.locator(f"#id_{FIELD}_buttocks").is_checked()
    assert axe_violations(page) == []
