"""Every German catalogue is complete: no empty and no fuzzy entries, and compiled."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/de/LC_MESSAGES/django.po") if ".venv" not in p.parts and "var" not in p.parts
)


def test_there_is_a_catalogue_for_the_shell_and_every_app():
    names = {p.parts[-5] if p.parts[-5] != "main" else "root" for p in CATALOGUES}
    for app in ["core", "accounts", "places", "taxonomy", "audit", "practices", "search", "workshops",
                "improvements", "evidence", "surveys", "vulnerability"]:
        assert app in names, f"no German catalogue for {app}"
    assert (ROOT / "locale/de/LC_MESSAGES/django.po").exists()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    assert path.with_suffix(".mo").exists(), f"{path} is not compiled (make messages)"
