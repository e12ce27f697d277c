"""Safe decoding, one-decode derivatives, orientation, perceptual hash."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from inspect_app.errors import UserError
from inspect_app.evidence.flags import hamming
from inspect_app.evidence.images import REPORT_SIZE, THUMB_SIZE, make_derivatives, perceptual_hash
from tests.evidence_fixtures import (
    UPRIGHT_SIZE,
    asymmetric_image,
    bomb_jpeg_header,
    bomb_png,
    fake_heic_bytes,
    jpeg_bytes,
    oriented_jpeg,
    pattern_image,
    png_bytes,
    text_as_jpg,
    tiff_bytes,
    truncated_jpeg,
)


def _open(data: bytes | None) -> Image.Image:
    assert data is not None
    img = Image.open(BytesIO(data))
    img.load()
    return img


def _close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E_PHOTO_EMPTY"),
        (text_as_jpg(), "E_PHOTO_NOT_IMAGE"),
        (truncated_jpeg(), "E_PHOTO_CORRUPT"),
        (fake_heic_bytes(), "E_PHOTO_UNSUPPORTED"),
        (b"GIF89a" + b"\x00" * 40, "E_PHOTO_UNSUPPORTED"),
        (bomb_png(), "E_PHOTO_TOO_LARGE"),
        (bomb_jpeg_header(), "E_PHOTO_TOO_LARGE"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "E_PHOTO_CORRUPT"),
    ],
    ids=["empty", "text", "truncated", "heic", "gif", "bomb-png", "bomb-jpeg", "jpeg-header-only"],
)
def test_bad_input_is_refused_with_its_code(data: bytes, code: str) -> None:
    with pytest.raises(UserError) as err:
        make_derivatives(data)
    assert err.value.code == code
    assert err.value.message  # a Chinese sentence for the inspector


def test_heic_message_says_what_to_do() -> None:
    with pytest.raises(UserError) as err:
        make_derivatives(fake_heic_bytes())
    assert err.value.message == "不支持的格式，请导出为 JPEG"


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(png_bytes("RGBA"), "PNG"), (png_bytes("P"), "PNG"), (png_bytes("LA"), "PNG"), (tiff_bytes("CMYK"), "TIFF"), (tiff_bytes("L"), "TIFF")],
)
def test_other_accepted_formats_become_rgb_jpegs(data: bytes, fmt: str) -> None:
    d = make_derivatives(data)
    assert d.format == fmt
    assert (d.width, d.height) == (40, 30)
    assert _open(d.thumb_jpeg).mode == "RGB"
    assert _open(d.report_jpeg).format == "JPEG"


def test_transparent_png_is_flattened_on_white() -> None:
    img = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    out = BytesIO()
    img.save(out, "PNG")
    thumb = _open(make_derivatives(out.getvalue()).thumb_jpeg)
    assert _close(thumb.getpixel((10, 10)), (255, 255, 255), 5)  # type: ignore[arg-type]


def test_webp_is_accepted() -> None:
    out = BytesIO()
    pattern_image(1).save(out, "WEBP")
    assert make_derivatives(out.getvalue()).format == "WEBP"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_comes_out_upright(orientation: int) -> None:
    d = make_derivatives(oriented_jpeg(orientation))
    assert d.orientation_applied == orientation
    assert (d.width, d.height) == UPRIGHT_SIZE
    report = _open(d.report_jpeg)
    assert report.size == UPRIGHT_SIZE
    expected = asymmetric_image()
    w, h = UPRIGHT_SIZE
    # Sample the middle of each mark of the upright picture: red top-left, green top-right, blue bottom.
    for xy in [(5, 5), (w - 4, 4), (w // 2, h - 3), (w // 2, h // 2)]:
        assert _close(report.getpixel(xy), expected.getpixel(xy)), (orientation, xy)  # type: ignore[arg-type]


def test_sizes_of_report_and_thumb_from_a_large_photo() -> None:
    # 2000×1500 keeps the test fast while still exercising draft (scale 1/2 would undershoot 1600 → none).
    big = pattern_image(5, (2000, 1500)).resize((2000, 1500))
    d = make_derivatives(jpeg_bytes(big, quality=85))
    assert _open(d.report_jpeg).size == (REPORT_SIZE, 1200)
    assert _open(d.thumb_jpeg).size == (THUMB_SIZE, 192)
    assert (d.width, d.height) == (2000, 1500)


def test_portrait_by_orientation_keeps_aspect() -> None:
    from tests.evidence_fixtures import make_exif

    d = make_derivatives(jpeg_bytes(pattern_image(5, (400, 300)), exif=make_exif(orientation=6)))
    assert (d.width, d.height) == (300, 400)
    assert _open(d.thumb_jpeg).size == (192, 256)


def test_small_photos_are_not_upscaled() -> None:
    d = make_derivatives(jpeg_bytes(size=(64, 48)))
    assert _open(d.report_jpeg).size == (64, 48)


def test_without_report_image() -> None:
    big = pattern_image(2, (1200, 900))
    d = make_derivatives(jpeg_bytes(big), make_report_image=False)
    assert d.report_jpeg is None
    assert _open(d.thumb_jpeg).size == (256, 192)


def test_phash_survives_recompression_and_scaling_but_tells_pictures_apart() -> None:
    a = pattern_image(11, (480, 360))
    h1 = make_derivatives(jpeg_bytes(a, quality=95)).phash
    h2 = make_derivatives(jpeg_bytes(a.resize((320, 240)), quality=60)).phash
    h3 = make_derivatives(jpeg_bytes(pattern_image(12, (480, 360)), quality=95)).phash
    assert 0 <= h1 < 2**64
    assert hamming(h1, h2) <= 6
    assert hamming(h1, h3) > 12


def test_hamming() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(2**64 - 1, 0) == 64


def test_perceptual_hash_of_flat_image_is_zero() -> None:
    assert perceptual_hash(Image.new("RGB", (32, 32), (9, 9, 9))) == 0
