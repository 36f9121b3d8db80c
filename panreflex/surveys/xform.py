"""The XForm (XML) pyxform makes of a workbook, normalised for comparison: what proves that an
exported form means the same as the original to ODK and KoboToolbox, not only to PanReflex.
(No Django here: the browser tests use it too.)"""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

XF = "{http://www.w3.org/2002/xforms}"


def xform_of(data: bytes, filename: str) -> str:
    """pyxform's XForm of a workbook (.xlsx or .xls by content); the file name matters (form id)."""
    from pyxform.xls2xform import convert

    suffix = ".xls" if data[:4] == b"\xd0\xcf\x11\xe0" else ".xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(filename).stem + suffix)
        path.write_bytes(data)
        return convert(xlsform=str(path), warnings=[]).xform


def normalised(xml: str) -> str:
    """Canonical XML without PanReflex's own `panreflex:*` bind attributes, with the translations
    and their texts in a fixed order (pyxform's order follows the columns)."""
    xml = re.sub(r'\s+panreflex:[\w\-]+="[^"]*"', "", xml)
    numbers: dict[str, str] = {}  # pyxform numbers its generated table-list elements by position in the form

    def renumber(m: re.Match) -> str:
        return numbers.setdefault(m.group(0), f"{m.group(1)}_{len(numbers) + 1}")

    xml = re.sub(r"(reserved_name_for_field_list_labels|generated_table_list_label)_(\d+)", renumber, xml)
    root = ET.fromstring(xml)
    for itext in root.iter(f"{XF}itext"):
        translations = sorted(itext, key=lambda t: t.get("lang", ""))
        for t in translations:
            texts = sorted(t, key=lambda x: x.get("id", ""))
            for child in list(t):
                t.remove(child)
            t.extend(texts)
        for child in list(itext):
            itext.remove(child)
        itext.extend(translations)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"), strip_text=True)


def same_xform(original: bytes, original_name: str, exported: bytes) -> bool:
    return normalised(xform_of(original, original_name)) == normalised(xform_of(exported, original_name))
