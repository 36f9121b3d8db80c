"""Every real XLSForm in ../shared/data/interop/xlsform (and more/) through import → export → import.

    .venv/bin/python bench/xlsform_forms.py [--forms DIR] [--verbose]

Prints one JSON object: `xlsform_forms`, `xlsform_pyxform_ok` (forms pyxform converts),
`xlsform_import_ok` (of those: imported, exported, imported again with the same questionnaire and
the same normalised XForm from pyxform), `xlsform_refused_precisely` (forms pyxform refuses that
PanReflex refuses with pyxform's message, nothing stored), `xlsform_errors` (anything else: a
traceback, an internal-error refusal, a refusal of a form pyxform converts, a changed round trip).
Runs on its own temporary SQLite database; `bench/survey.py` runs it and includes these keys.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORMS = (REPO / "../shared/data/interop/xlsform").resolve()


def form_paths(root: Path = FORMS) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in [*root.glob("*.xls*"), *root.glob("more/*.xls*")] if p.suffix in (".xls", ".xlsx"))


def check_form(path: Path, organisation) -> dict:
    """One form: {"form", "pyxform": ok|refused, "outcome": import_ok|refused_precisely|error, "detail"}."""
    import warnings

    from pyxform.errors import PyXFormError

    from panreflex.surveys.models import Survey
    from panreflex.surveys.services.xlsform import (
        XLSFormError,
        export_xlsform,
        import_xlsform,
        normalised,
        version_signature,
        xform_of,
    )

    data = path.read_bytes()
    out = {"form": str(path.relative_to(FORMS)), "detail": ""}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            original_xml = xform_of(data, path.name)
            out["pyxform"] = "ok"
        except PyXFormError as exc:
            original_xml = None
            out["pyxform"] = "refused"
            pyx_message = str(exc).strip()
        before = Survey.objects.count()
        try:
            result = import_xlsform(data=data, filename=path.name, actor=None, organisation=organisation)
        except XLSFormError as exc:
            text = "\n".join(exc.messages)
            stored = Survey.objects.count() != before
            if original_xml is None and not stored and "internal error" not in text \
                    and pyx_message.split("\n")[0][:60] in text:
                out["outcome"] = "refused_precisely"
            else:
                out["outcome"] = "error"
            out["detail"] = text[:300] + (" (something was stored)" if stored else "")
            return out
        except Exception as exc:  # noqa: BLE001 - counted, never allowed
            out["outcome"] = "error"
            out["detail"] = f"traceback: {type(exc).__name__}: {exc}"[:300]
            return out
        if original_xml is None:
            out["outcome"] = "error"
            out["detail"] = "imported although pyxform refuses it"
            return out
        version = result.survey.versions.get()
        exported = export_xlsform(version=version)
        try:
            exported_xml = xform_of(exported, path.name)
            again = import_xlsform(data=exported, filename=path.name, actor=None, organisation=organisation)
        except Exception as exc:  # noqa: BLE001
            out["outcome"] = "error"
            out["detail"] = f"export not accepted: {type(exc).__name__}: {exc}"[:300]
            return out
        if version_signature(again.survey.versions.get()) != version_signature(version):
            out["outcome"], out["detail"] = "error", "re-import changed the questionnaire"
        elif normalised(exported_xml) != normalised(original_xml):
            out["outcome"], out["detail"] = "error", "pyxform makes a different XForm of the export"
        else:
            out["outcome"] = "import_ok"
        return out


def summary(results: list[dict]) -> dict:
    return {
        "xlsform_forms": len(results),
        "xlsform_pyxform_ok": sum(r["pyxform"] == "ok" for r in results),
        "xlsform_import_ok": sum(r["outcome"] == "import_ok" for r in results),
        "xlsform_refused_precisely": sum(r["outcome"] == "refused_precisely" for r in results),
        "xlsform_errors": sum(r["outcome"] == "error" for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", default=str(FORMS))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/forms.sqlite3"  # its own database, whatever DATABASE_URL says
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from panreflex.accounts.models import Organisation

    org = Organisation.objects.create(name="Forschung", slug="forschung", kind=Organisation.Kind.RESEARCH)
    results = [check_form(p, org) for p in form_paths(Path(args.forms))]
    if args.verbose:
        for r in results:
            print(f"{r['outcome']:18} {r['pyxform']:8} {r['form']}  {r['detail']}", file=sys.stderr)
    print(json.dumps(summary(results)))


if __name__ == "__main__":
    main()
