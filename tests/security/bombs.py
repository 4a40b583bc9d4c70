"""Hostile files, made for the tests (no binary is committed): a zip bomb dressed as a workbook,
a workbook whose XML declares exponentially expanding entities, content under a wrong name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.fixtures.uhri.make_xlsx import write_xlsx

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n"
)


def zip_bomb_xlsx(unpacked_mb: int = 64) -> bytes:
    """A zip with the parts of a workbook, one of which unpacks from about 64 KB to
    ``unpacked_mb`` MB of zeros (deflate's ratio is about 1000 to 1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


def xml_bomb_xlsx(tmp_path: Path) -> bytes:
    """A real export workbook whose first sheet's XML declares the "billion laughs" entities and
    uses the last one in a cell."""
    source = write_xlsx(tmp_path / "clean.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as bomb:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                body = text[text.index("<worksheet") :]
                body = body.replace("<sheetData>", "<sheetData><!-- &lol9; -->", 1)
                data = (BILLION_LAUGHS + body).encode()
            bomb.writestr(item, data)
    return out.getvalue()
