"""The body map: where each body region is, as one table; the body itself is a picture.

The drawings of the body are static/img/body-map-front.svg and body-map-back.svg. They and
this table share a coordinate system of 100 x 200 units: x runs from the viewer's left to
right, y from the top of the head (0) to the soles of the feet (200). On the front view the
patient's right is on the viewer's left; on the back view the patient's left is.

Each region has a marker (the checkbox the patient taps) at (x, y), and a shape (an SVG path)
that is lit when it is marked and drawn on the clinicians' picture. Because the page has no
inline styles, the templates place a marker with two classes from static/css/body_map.css:
``bm-x-<x>`` sets ``left: x%`` and ``bm-y-<y>`` sets ``margin-top: y%``. A percentage margin
is a share of the container's width, and the drawing is twice as tall as it is wide, so y
units line up with the drawing too. x and y are therefore whole numbers (0-100, 0-200).

Template use::

    {% load body_map %}
    {% body_map_regions "front" as regions %}   {# or "back", or none for all #}
    {% body_map_views as views %}               {# both: name, drawing, regions, twins #}
    {{ codes|region_labels|join:", " }}
    {% body_map_uid as uid %}                   {# a fresh prefix for SVG ids #}
"""

import itertools

from django import template
from django.core.exceptions import ImproperlyConfigured

from intake.choices import BACK_REGIONS, BodyRegion

register = template.Library()

FRONT = "front"
BACK = "back"
VIEWS = (FRONT, BACK)
# The regions, head to foot within each view; within a row, the marker on the viewer's left
# first, so the tab order reads like the page. Each row: the region, its view, its marker's x
# and y, and its shape (an SVG path). Head, face and neck markers are 14 units apart: 44 px
# markers on a 320 px drawing. The two sides of a pair are mirror images about x = 50.
REGION_TABLE = """
head             front  50   5  M40.49 12A10 13 0 0 1 59.51 12Z
face             front  50  19  M40.49 12A10 13 0 1 0 59.51 12Z
neck             front  50  33  M45.5 28.5L45.5 36A4.5 4.5 0 0 0 54.5 36L54.5 28.5A4.5 4.5 0 0 0 45.5 28.5Z
right_shoulder   front  35  43  M29 43a6 5.5 0 1 0 12 0a6 5.5 0 1 0 -12 0Z
left_shoulder    front  65  43  M59 43a6 5.5 0 1 0 12 0a6 5.5 0 1 0 -12 0Z
chest            front  50  53  M36.5 53.5a13.5 10.5 0 1 0 27 0a13.5 10.5 0 1 0 -27 0Z
right_upper_arm  front  28  62  M25.62 48.86L20.12 74.86A5.5 5.5 0 0 0 30.88 77.14L36.38 51.14A5.5 5.5 0 0 0 25.62 48.86Z
left_upper_arm   front  72  62  M63.62 51.14L69.12 77.14A5.5 5.5 0 0 0 79.88 74.86L74.38 48.86A5.5 5.5 0 0 0 63.62 51.14Z
abdomen          front  50  77  M36 79a14 13 0 1 0 28 0a14 13 0 1 0 -28 0Z
right_forearm    front  22  91  M20.12 80.96L15.62 99.96A4.5 4.5 0 0 0 24.38 102.04L28.88 83.04A4.5 4.5 0 0 0 20.12 80.96Z
left_forearm     front  78  91  M71.12 83.04L75.62 102.04A4.5 4.5 0 0 0 84.38 99.96L79.88 80.96A4.5 4.5 0 0 0 71.12 83.04Z
right_hip        front  36 100  M32 100a4.5 7 0 1 0 9 0a4.5 7 0 1 0 -9 0Z
left_hip         front  64 100  M59 100a4.5 7 0 1 0 9 0a4.5 7 0 1 0 -9 0Z
pelvis_groin     front  50 106  M42 103Q41 98 50 98Q59 98 58 103Q57 108 53.5 111Q50 114 46.5 111Q43 108 42 103Z
right_hand       front  17 113  M13 112a4.5 7.5 0 1 0 9 0a4.5 7.5 0 1 0 -9 0Z
left_hand        front  83 113  M78 112a4.5 7.5 0 1 0 9 0a4.5 7.5 0 1 0 -9 0Z
right_thigh      front  41 125  M34.01 114.28L35.01 137.28A6.5 6.5 0 0 0 47.99 136.72L46.99 113.72A6.5 6.5 0 0 0 34.01 114.28Z
left_thigh       front  59 125  M53.01 113.72L52.01 136.72A6.5 6.5 0 0 0 64.99 137.28L65.99 114.28A6.5 6.5 0 0 0 53.01 113.72Z
right_knee       front  42 146  M36.5 146a5.5 6 0 1 0 11 0a5.5 6 0 1 0 -11 0Z
left_knee        front  58 146  M52.5 146a5.5 6 0 1 0 11 0a5.5 6 0 1 0 -11 0Z
right_lower_leg  front  42 167  M37.2 155.1L37.7 180.1A4.8 4.8 0 0 0 47.3 179.9L46.8 154.9A4.8 4.8 0 0 0 37.2 155.1Z
left_lower_leg   front  58 167  M53.2 154.9L52.7 179.9A4.8 4.8 0 0 0 62.3 180.1L62.8 155.1A4.8 4.8 0 0 0 53.2 154.9Z
right_foot       front  42 191  M36 190.5a6 6.5 0 1 0 12 0a6 6.5 0 1 0 -12 0Z
left_foot        front  58 191  M52 190.5a6 6.5 0 1 0 12 0a6 6.5 0 1 0 -12 0Z
upper_back       back   50  55  M33 48Q34 40 50 40Q66 40 67 48Q68 56 66.5 63Q65 70 50 70Q35 70 33.5 63Q32 56 33 48Z
lower_back       back   50  84  M34.75 78.5Q35.5 71 50 71Q64.5 71 65.25 78.5Q66 86 65.25 91Q64.5 96 50 96Q35.5 96 34.75 91Q34 86 34.75 78.5Z
buttocks         back   50 106  M35 105.5a7.5 8.5 0 1 0 15 0a7.5 8.5 0 1 0 -15 0ZM50 105.5a7.5 8.5 0 1 0 15 0a7.5 8.5 0 1 0 -15 0Z
"""
# The back of the neck and of the legs, where a patient with back pain often hurts too. They
# are the same regions as on the front (the 27-region vocabulary has no "back of the thigh"),
# so each is a second tap target, a <label> for the region's one checkbox: marking either
# marks the region, and the form still sends each region once. Each row: the region and its
# marker's x and y on the back, where the patient's left is on the viewer's left; its shape
# is that of the front region at the same place.
BACK_TWIN_TABLE = """
neck              50  33
left_thigh        41 125
right_thigh       59 125
left_knee         42 146
right_knee        58 146
left_lower_leg    42 167
right_lower_leg   58 167
"""


def _rows(table):
    return [line.split(maxsplit=4) for line in table.strip().splitlines()]


REGIONS = [
    {
        "code": code,
        "label": BodyRegion(code).label,
        "view": view,
        "x": int(x),
        "y": int(y),
        "shape": shape,
    }
    for code, view, x, y, shape in _rows(REGION_TABLE)
]
LABELS = {region["code"]: region["label"] for region in REGIONS}
_FRONT_SHAPE_AT = {(r["x"], r["y"]): r["shape"] for r in REGIONS if r["view"] == FRONT}
BACK_TWINS = [
    {"code": code, "view": BACK, "x": int(x), "y": int(y), "shape": _FRONT_SHAPE_AT[int(x), int(y)]}
    for code, x, y in _rows(BACK_TWIN_TABLE)
]

# The table and the choices must describe the same regions and views.
if sorted(LABELS) != sorted(BodyRegion.values) or len(LABELS) != len(REGIONS):
    raise ImproperlyConfigured("The body map needs exactly one row for each BodyRegion.")
if any((region["view"] == BACK) != (region["code"] in BACK_REGIONS) for region in REGIONS):
    raise ImproperlyConfigured("The body map's back view must hold exactly BACK_REGIONS.")
if any(twin["code"] in BACK_REGIONS for twin in BACK_TWINS):
    raise ImproperlyConfigured("A back-view twin must be a region drawn on the front.")


# Template tags ---------------------------------------------------------------


@register.simple_tag
def body_map_regions(view=None):
    """The regions (dicts: code, label, view, x, y, shape), head to foot;
    only those of one view if given ("front" or "back")."""
    if view is not None and view not in VIEWS:
        raise template.TemplateSyntaxError(f"body_map_regions: unknown view {view!r}")
    return [region for region in REGIONS if view is None or region["view"] == view]


@register.simple_tag
def body_map_views():
    """Both views, front first, each a dict: name, drawing (the static path of its picture),
    regions, and twins (second tap targets for front regions that show on the back too)."""
    return [
        {
            "name": view,
            "drawing": f"img/body-map-{view}.svg",
            "regions": body_map_regions(view),
            "twins": BACK_TWINS if view == BACK else [],
        }
        for view in VIEWS
    ]


@register.filter
def region_labels(codes):
    """Patient labels for region codes, head to foot; unknown codes kept as is."""
    codes = set(codes or ())
    known = [region["label"] for region in REGIONS if region["code"] in codes]
    return known + sorted(code for code in codes if code not in LABELS)


_uids = itertools.count(1)


@register.simple_tag
def body_map_uid():
    """A prefix for SVG ids that is unique among the pictures on a page."""
    return f"body-map-{next(_uids)}"
