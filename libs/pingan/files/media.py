"""What kind of file an upload is, told from its first bytes alone.

Evidence is photos (JPEG, PNG, HEIC/HEIF, WebP) and PDF documents. A file's name and the
type its sender claims are never believed: the type comes from the content's signature, and a
name whose extension says otherwise is refused. The signatures are the formats' own:

- JPEG: the SOI marker and the first marker's lead byte, ``FF D8 FF`` (ISO/IEC 10918-1);
- PNG: the eight-byte signature ``89 50 4E 47 0D 0A 1A 0A`` (RFC 2083, 3.1);
- WebP: a RIFF container whose form type is ``WEBP`` (RFC 9649, 2.5);
- PDF: the header ``%PDF-`` at the start (ISO 32000-2, 7.5.2);
- HEIC/HEIF: an ISO base media file (ISO/IEC 14496-12) whose first box is ``ftyp`` with a
  major brand of HEIF (ISO/IEC 23008-12, annex B): ``heic heix heim heis hevc hevx hevm hevs``
  for HEVC-coded images (image/heic), ``mif1 msf1`` for the general image and sequence brands
  (image/heif), unless the file lists AVIF brands, which is AV1 and not accepted.

A table of our own rather than a sniffing library: `puremagic`'s current releases need Python
3.12, and `filetype` (last released 2022) takes only ``heic`` and ``mif1``+``heic`` of the HEIF
brands, so an iPhone's ``heix`` or a plain ``mif1`` photo would be refused.
"""

from __future__ import annotations

import struct
from types import MappingProxyType

#: Each accepted media type and the file-name extensions that may name it.
ACCEPTED: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
        "image/png": (".png",),
        "image/heic": (".heic", ".heif", ".hif"),
        "image/heif": (".heif", ".heic", ".hif"),
        "image/webp": (".webp",),
        "application/pdf": (".pdf",),
    }
)

#: Bytes enough to tell every accepted type.
HEAD_BYTES = 64

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def detect_media_type(head: bytes) -> str | None:
    """The accepted media type that `head` (a file's first bytes) begins, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return _heif(head)


def _heif(head: bytes) -> str | None:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    (size,) = struct.unpack(">I", head[:4])
    if size < 16:
        return None
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major in _HEIC_BRANDS:
        return "image/heic"
    if major in _HEIF_BRANDS and not compatible & _AVIF_BRANDS:
        return "image/heic" if compatible & _HEIC_BRANDS else "image/heif"
    return None


def extension_fits(name: str, media_type: str) -> bool:
    """Whether `name` has no extension or one that names `media_type`."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return True
    return f".{extension.lower()}" in ACCEPTED.get(media_type, ())
