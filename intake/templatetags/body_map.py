"""The body map's drawing: where each body region is, as one table.

Both views (front and back) share a coordinate system of 100 x 200 units: the
SVG viewBox is "0 0 100 200", x runs from the viewer's left to right and y
from the top of the head (0) to the soles of the feet (200).

A region's marker (the checkbox the patient taps) sits at (x, y). Because the
page has no inline styles, the templates place a marker with two classes from
static/css/body_map.css: ``bm-x-<x>`` sets ``left: x%`` and ``bm-y-<y>`` sets
``margin-top: y%``. A percentage margin is a share of the container's width,
and the drawing is twice as tall as it is wide, so y units line up with the
drawing too. x and y must therefore be whole numbers (0-100 and 0-200).

On the front view the patient's right is on the viewer's left; on the back
view the patient's left is on the viewer's left.

Template use::

    {% load body_map %}
    {% body_map_regions "front" as regions %}   {# or "back", or none for all #}
    {% body_map_outline "front" as outline %}   {# outline.parts, outline.lines #}
    {% body_map_views as views %}               {# both: name, regions, parts, lines #}
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
WIDTH, HEIGHT = 100, 200


# Shape helpers: each returns an SVG path "d" string. -------------------------


def _num(value):
    """A coordinate written briefly: 12.0 -> "12", 12.25 -> "12.25"."""
    return f"{round(value, 2):g}"


def ellipse(cx, cy, rx, ry):
    return (
        f"M{_num(cx - rx)} {_num(cy)}"
        f"a{_num(rx)} {_num(ry)} 0 1 0 {_num(2 * rx)} 0"
        f"a{_num(rx)} {_num(ry)} 0 1 0 {_num(-2 * rx)} 0Z"
    )


def capsule(x1, y1, x2, y2, r):
    """A rounded bar of radius r from (x1, y1) to (x2, y2): a limb."""
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    nx, ny = -(y2 - y1) / length * r, (x2 - x1) / length * r
    return (
        f"M{_num(x1 + nx)} {_num(y1 + ny)}L{_num(x2 + nx)} {_num(y2 + ny)}"
        f"A{_num(r)} {_num(r)} 0 0 0 {_num(x2 - nx)} {_num(y2 - ny)}"
        f"L{_num(x1 - nx)} {_num(y1 - ny)}"
        f"A{_num(r)} {_num(r)} 0 0 0 {_num(x1 + nx)} {_num(y1 + ny)}Z"
    )


def smooth(points):
    """A closed, rounded outline through the midpoints of a polygon's sides."""
    mids = [
        ((x1 + x2) / 2, (y1 + y2) / 2)
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
    ]
    d = f"M{_num(mids[-1][0])} {_num(mids[-1][1])}"
    for (px, py), (mx, my) in zip(points, mids, strict=True):
        d += f"Q{_num(px)} {_num(py)} {_num(mx)} {_num(my)}"
    return d + "Z"


def mirror_x(x):
    return WIDTH - x


def both_sides(left_half):
    """A symmetric outline from its viewer's-left half, listed top to bottom
    from the centre line back to the centre line."""
    right_half = [(mirror_x(x), y) for x, y in reversed(left_half[1:-1])]
    return left_half + right_half


def mirrored(points):
    return [(mirror_x(x), y) for x, y in points]


# The neutral body outline (the same for both views). -----------------------

TORSO = both_sides(
    [
        (50, 35),
        (42, 35.5),
        (34.5, 37.5),
        (30.5, 41.5),
        (29.5, 48),
        (31.5, 58),
        (33, 70),
        (34.5, 80),
        (34, 88),
        (32.5, 96),
        (32.5, 104),
        (36, 110),
        (43, 113.5),
        (50, 114),
    ]
)
# The leg on the viewer's left, from the outer hip round to the crotch.
LEG = [
    (33, 100),
    (33.5, 118),
    (35.5, 134),
    (37, 145),
    (36.5, 152),
    (37, 162),
    (39, 176),
    (39.5, 184),
    (46, 184),
    (46.5, 176),
    (47.5, 162),
    (47, 152),
    (46.5, 145),
    (48, 128),
    (49.5, 112),
    (44, 106),
]
# The foot on the viewer's left, seen from the front: turned a little outwards.
FOOT = [(40, 183), (46, 183), (47.5, 191.5), (46.5, 196.5), (40, 197), (35.5, 195.5), (37.5, 189)]


def _outline_parts():
    parts = [
        ellipse(50, 16, 10, 13),  # head
        capsule(50, 26, 50, 37, 4.5),  # neck
        smooth(TORSO),
    ]
    for mirror in (False, True):
        fx = mirror_x if mirror else (lambda x: x)
        parts += [
            capsule(fx(32), 44, fx(25), 79, 5),  # upper arm
            capsule(fx(25), 79, fx(19.5), 103, 4),  # forearm
            ellipse(fx(17.5), 112, 4, 7),  # hand
            smooth(mirrored(LEG) if mirror else LEG),
            smooth(mirrored(FOOT) if mirror else FOOT),
        ]
    return parts


OUTLINE_PARTS = _outline_parts()
# Thin guide lines drawn over the outline, to tell the back from the front.
OUTLINE_LINES = {
    FRONT: [
        "M44 106Q50 110 56 106",  # groin crease
    ],
    BACK: [
        "M50 39V96",  # spine
        "M50 99V112",  # cleft of the buttocks
        "M37 50Q41 58 45 55",  # shoulder blades
        "M63 50Q59 58 55 55",
    ],
}


# The regions, in head-to-foot order within each view. ----------------------
# Within a row, the marker on the viewer's left comes first, so the tab order
# reads like the page: top to bottom, left to right.
#
# (code, view, marker x, marker y, region shape)


def _mirrored_pair(viewers_left, viewers_right, x, y, shape_for):
    """Two regions drawn as mirror images: (code, x, y, shape) for the one on the viewer's
    left at x, and for the other at the mirror of x. shape_for(f) draws the shape with every
    x coordinate passed through f."""
    return [
        (viewers_left, x, y, shape_for(lambda v: v)),
        (viewers_right, round(mirror_x(x)), y, shape_for(mirror_x)),
    ]


def _front_sides(right_code, left_code, x, y, shape_for):
    """A pair of regions on the front, given for the patient's right side (on the viewer's
    left); the left side is its mirror image."""
    return [
        (code, FRONT, *where)
        for code, *where in _mirrored_pair(right_code, left_code, x, y, shape_for)
    ]


# The neck and legs are drawn on both views (see BACK_TWIN_TABLE): marker x, y and shape,
# for the leg on the viewer's left.
NECK = (50, 33, capsule(50, 28.5, 50, 36, 4.5))
THIGH = (41, 125, lambda f: capsule(f(40.5), 114, f(41.5), 137, 6.5))
KNEE = (42, 146, lambda f: ellipse(f(42), 146, 5.5, 6))
LOWER_LEG = (42, 167, lambda f: capsule(f(42), 155, f(42.5), 180, 4.8))

R = BodyRegion
# The head's ellipse (50, 16, 10, 13) cut across at y = 12: the top, and the face.
HEAD_TOP = "M40.49 12A10 13 0 0 1 59.51 12Z"
FACE = "M40.49 12A10 13 0 1 0 59.51 12Z"

REGION_TABLE = [
    # Head, face and neck markers are 14 units apart: 44 px markers on a 320 px drawing.
    (R.HEAD, FRONT, 50, 5, HEAD_TOP),
    (R.FACE, FRONT, 50, 19, FACE),
    (R.NECK, FRONT, *NECK),
    *_front_sides(R.RIGHT_SHOULDER, R.LEFT_SHOULDER, 35, 43, lambda f: ellipse(f(35), 43, 6, 5.5)),
    (R.CHEST, FRONT, 50, 53, ellipse(50, 53.5, 13.5, 10.5)),
    *_front_sides(
        R.RIGHT_UPPER_ARM, R.LEFT_UPPER_ARM, 28, 62, lambda f: capsule(f(31), 50, f(25.5), 76, 5.5)
    ),
    (R.ABDOMEN, FRONT, 50, 77, ellipse(50, 79, 14, 13)),
    *_front_sides(
        R.RIGHT_FOREARM, R.LEFT_FOREARM, 22, 91, lambda f: capsule(f(24.5), 82, f(20), 101, 4.5)
    ),
    *_front_sides(R.RIGHT_HIP, R.LEFT_HIP, 36, 100, lambda f: ellipse(f(36.5), 100, 4.5, 7)),
    (R.PELVIS_GROIN, FRONT, 50, 106, smooth([(41, 98), (59, 98), (57, 108), (50, 114), (43, 108)])),
    *_front_sides(R.RIGHT_HAND, R.LEFT_HAND, 17, 113, lambda f: ellipse(f(17.5), 112, 4.5, 7.5)),
    *_front_sides(R.RIGHT_THIGH, R.LEFT_THIGH, *THIGH),
    *_front_sides(R.RIGHT_KNEE, R.LEFT_KNEE, *KNEE),
    *_front_sides(R.RIGHT_LOWER_LEG, R.LEFT_LOWER_LEG, *LOWER_LEG),
    *_front_sides(R.RIGHT_FOOT, R.LEFT_FOOT, 42, 191, lambda f: ellipse(f(42), 190.5, 6, 6.5)),
    (
        R.UPPER_BACK,
        BACK,
        50,
        55,
        smooth([(34, 40), (66, 40), (68, 56), (65, 70), (35, 70), (32, 56)]),
    ),
    (
        R.LOWER_BACK,
        BACK,
        50,
        84,
        smooth([(35.5, 71), (64.5, 71), (66, 86), (64.5, 96), (35.5, 96), (34, 86)]),
    ),
    (R.BUTTOCKS, BACK, 50, 106, ellipse(42.5, 105.5, 7.5, 8.5) + ellipse(57.5, 105.5, 7.5, 8.5)),
]

# The back of the neck and of the legs, where a patient with back pain often hurts too. They
# are the same regions as on the front (the 27-region vocabulary has no "back of the thigh"),
# so each is a second tap target, a <label> for the region's one checkbox: marking either
# marks the region, and the form still sends each region once. (code, marker x, marker y,
# region shape); on the back the patient's left is on the viewer's left.
BACK_TWIN_TABLE = [
    (R.NECK, *NECK),
    *_mirrored_pair(R.LEFT_THIGH, R.RIGHT_THIGH, *THIGH),
    *_mirrored_pair(R.LEFT_KNEE, R.RIGHT_KNEE, *KNEE),
    *_mirrored_pair(R.LEFT_LOWER_LEG, R.RIGHT_LOWER_LEG, *LOWER_LEG),
]

REGIONS = [
    {
        "code": str(code),
        "label": BodyRegion(code).label,
        "view": view,
        "x": x,
        "y": y,
        "shape": shape,
    }
    for code, view, x, y, shape in REGION_TABLE
]
LABELS = {region["code"]: region["label"] for region in REGIONS}
BACK_TWINS = [
    {"code": str(code), "view": BACK, "x": x, "y": y, "shape": shape}
    for code, x, y, shape in BACK_TWIN_TABLE
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
def body_map_outline(view=FRONT):
    """The body outline: closed shapes (parts) and thin guide lines (lines)."""
    return {"parts": OUTLINE_PARTS, "lines": OUTLINE_LINES[view]}


@register.simple_tag
def body_map_views():
    """Both views, front first, each a dict: name, regions, twins (second tap targets for
    front regions that show on the back too), parts, lines."""
    return [
        {
            "name": view,
            "regions": body_map_regions(view),
            "twins": BACK_TWINS if view == BACK else [],
            **body_map_outline(view),
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
