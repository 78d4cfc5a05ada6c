"""An upload's type is told from its first bytes, never from its name."""

from __future__ import annotations

import struct

import pytest

from pingan.files.media import detect_media_type, extension_fits


def iso_bmff(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\0\0\0\0" + b"".join(compatible)
    return struct.pack(">I", len(body) + 4) + body + b"\0\0\0\x08meta"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (iso_bmff(b"heic", b"mif1", b"heic"), "image/heic"),
        (iso_bmff(b"heix", b"mif1", b"heix"), "image/heic"),
        (iso_bmff(b"mif1", b"mif1", b"heic"), "image/heic"),
        (iso_bmff(b"mif1", b"mif1", b"miaf"), "image/heif"),
        (iso_bmff(b"avif", b"mif1", b"avif"), None),
        (iso_bmff(b"mif1", b"mif1", b"avif"), None),
        (iso_bmff(b"isom", b"isom", b"mp41"), None),
        ("整改情况说明\n".encode(), None),
        (b"GIF89a\x01\x00", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
    ids=[
        "jfif", "exif", "png", "webp", "pdf", "heic", "heix", "mif1-heic", "heif",
        "avif", "mif1-avif", "mp4", "text", "gif", "zip", "empty",
    ],
)  # fmt: skip
def test_the_type_comes_from_the_signature(head: bytes, expected: str | None) -> None:
    assert detect_media_type(head) == expected


def test_a_name_must_not_claim_another_type() -> None:
    assert extension_fits("整改后.JPG", "image/jpeg")
    assert extension_fits("IMG_0001.HEIC", "image/heic")
    assert extension_fits("no-extension", "image/png")
    assert not extension_fits("photo.pdf", "image/png")
    assert not extension_fits("notes.jpg", "application/pdf")
