"""Uploaded article pictures: checked, resized and stored through Django's storage API.

An upload is decoded with Pillow, so anything that is not a JPEG, PNG or WebP picture
(an SVG above all, which can carry script) is refused with a message an editor
understands. It is re-encoded, which also drops camera metadata such as location, and
stored as WebP in a few widths for a `srcset`. Names carry a hash of the content, so a
stored file never changes and can be cached for good.
"""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Wide enough for the article column on a high-density screen; anything bigger is wasted bytes.
MAX_WIDTH = 1600
RENDITION_WIDTHS = (480, 960)
# A decompression bomb (a tiny file that decodes to gigapixels) is refused before decoding.
MAX_PIXELS = 40_000_000
WEBP_QUALITY = 82
# WebP cannot hold a picture longer than this on either side.
WEBP_MAX_SIDE = 16383
EXIF_ORIENTATION = 0x0112


def _looks_like_svg(head):
    text = head.lstrip().lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text[:1024]


def open_upload(upload):
    """Return the upload as a Pillow image, or raise a ValidationError that says why not."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This picture is too large. Please upload one under 10 MB.", code="too_large"
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if name.lower().endswith((".svg", ".svgz")) or _looks_like_svg(head):
        raise ValidationError(
            "SVG files cannot be uploaded, because they can carry hidden code. "
            "Please upload a PNG, JPEG or WebP picture.",
            code="svg",
        )
    try:
        image = Image.open(upload)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                "This picture has too many pixels. Please upload a smaller one.",
                code="too_many_pixels",
            )
        image_format = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not a picture we can read. Please upload a PNG, JPEG or WebP picture.",
            code="not_an_image",
        ) from error
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            "Please upload a PNG, JPEG or WebP picture.",
            code="format",
        )
    # The size once turned upright (store_picture follows the camera's orientation tag).
    turned = image.getexif().get(EXIF_ORIENTATION, 1) in (5, 6, 7, 8)
    stored_width, stored_height = _stored_size(*(image.size[::-1] if turned else image.size))
    if max(stored_width, stored_height) > WEBP_MAX_SIDE or min(stored_width, stored_height) < 1:
        raise ValidationError(
            "This picture is too tall or too wide to show. Please upload one closer to a "
            "rectangle, such as 1600 by 900 pixels.",
            code="bad_shape",
        )
    return image


def _stored_size(width, height, target=MAX_WIDTH):
    """The size a picture is stored at: no wider than `target`, its shape kept."""
    if width <= target:
        return width, height
    return target, round(height * target / width)


def _encode(image, width):
    if image.width > width:
        # At least 1 px high: a thin strip is still a picture (open_upload refused worse).
        width, height = _stored_size(image.width, image.height, width)
        image = image.resize((width, max(height, 1)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return image.size, out.getvalue()


def store_picture(upload):
    """Resize and store an upload; return (name, width, height, renditions).

    `renditions` maps a width (as a string, for JSON) to a stored name, widest last.
    """
    image = ImageOps.exif_transpose(open_upload(upload))
    image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    (width, height), master = _encode(image, MAX_WIDTH)
    digest = hashlib.sha256(master).hexdigest()[:20]
    name = default_storage.save(f"figures/{digest}.webp", ContentFile(master))
    renditions = {}
    for target in RENDITION_WIDTHS:
        if target < width:
            _, data = _encode(image, target)
            renditions[str(target)] = default_storage.save(
                f"figures/{digest}-{target}.webp", ContentFile(data)
            )
    renditions[str(width)] = name
    return name, width, height, renditions
