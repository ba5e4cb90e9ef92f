import os
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered documents go to a temporary folder, not the shared media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def finvoice_xsd_path() -> Path | None:
    """Finance Finland's Finvoice 3.0 schema: $FINVOICE_XSD, or shared/standards beside
    the repository (beside the main checkout when this is a git worktree)."""
    if os.environ.get("FINVOICE_XSD"):
        candidates = [Path(os.environ["FINVOICE_XSD"]).expanduser()]
    else:
        repo = Path(settings.BASE_DIR).resolve()
        candidates = [repo.parent / "shared" / "standards" / "Finvoice3.0.xsd"]
        git = repo / ".git"
        if git.is_file():  # a worktree: .git names the main repository's git folder
            common = Path(git.read_text().split(":", 1)[1].strip()).resolve()
            main_repo = common.parent.parent.parent if common.parent.name == "worktrees" else repo
            candidates.append(main_repo.parent / "shared" / "standards" / "Finvoice3.0.xsd")
    return next((path.resolve() for path in candidates if path.is_file()), None)


_SCHEMA = None


def finvoice_schema():
    """The compiled schema, or a skip that says where it was looked for."""
    global _SCHEMA
    if _SCHEMA is None:
        etree = pytest.importorskip("lxml.etree")
        path = finvoice_xsd_path()
        if path is None:
            pytest.skip(
                "Finvoice3.0.xsd not found: set FINVOICE_XSD or put it in "
                "../shared/standards/ beside the repository"
            )
        _SCHEMA = etree.XMLSchema(etree.parse(str(path)))
    return _SCHEMA


def assert_valid_finvoice(xml: bytes) -> None:
    from lxml import etree

    schema = finvoice_schema()
    document = etree.fromstring(xml)
    errors = [] if schema.validate(document) else [str(e) for e in schema.error_log]
    assert not errors, errors
    text = xml.decode("iso-8859-15")
    assert "&#" not in text, "a character outside ISO-8859-15 was written as a reference"


@pytest.fixture(autouse=True)
def every_finvoice_validates(monkeypatch):
    """Every Finvoice file a contracts test renders is checked against the schema."""
    if finvoice_xsd_path() is None:
        return
    from contracts import invoicing

    real = invoicing.invoice_finvoice_xml

    def validated(invoice):
        xml = real(invoice)
        assert_valid_finvoice(xml)
        return xml

    monkeypatch.setattr(invoicing, "invoice_finvoice_xml", validated)
