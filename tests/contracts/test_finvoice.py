"""Finvoice 3.0 that validates against Finance Finland's schema, and issuing refused for
a member whose data an e-invoice needs is missing."""

import pytest
from django.core.exceptions import ValidationError

from contracts import documents, invoicing, services
from contracts.models import AgreedShare, Invoice, InvoicingRun
from tests.contracts.conftest import assert_valid_finvoice, finvoice_schema
from tests.contracts.factories import issue_drafts, seed_contract

pytestmark = pytest.mark.django_db


def _run(year, quarter):
    invoicing.invoicing_run_execute(
        run_id=InvoicingRun.objects.create(year=year, quarter=quarter).pk
    )


def _issued(member, year, quarter, by):
    invoice = Invoice.objects.get(member=member, year=year, quarter=quarter, kind="invoice")
    return services.invoice_issue(invoice=invoice, by=by, queue_documents=False)


@pytest.fixture
def schema():
    return finvoice_schema()


def test_an_invoice_validates_and_names_the_recipients_language(schema, finance_user):
    _contract, _period, members = seed_contract()
    _run(2025, 1)
    xml = documents.invoice_finvoice_xml(_issued(members["240"], 2025, 1, finance_user))
    assert_valid_finvoice(xml)
    assert b"<InvoiceRecipientLanguageCode>FI</InvoiceRecipientLanguageCode>" in xml
    assert xml.startswith(b"<?xml version='1.0' encoding='ISO-8859-15'?>")


def test_a_credit_note_validates_and_names_the_credited_invoice(schema, finance_user):
    _contract, _period, members = seed_contract()
    _run(2025, 1)
    invoice = _issued(members["240"], 2025, 1, finance_user)
    note = services.invoice_credit(invoice=invoice, by=finance_user)
    xml = documents.invoice_finvoice_xml(note)
    assert_valid_finvoice(xml)
    assert f"<OriginalInvoiceNumber>{invoice.number}</OriginalInvoiceNumber>".encode() in xml


def test_a_last_quarter_with_an_adjustment_validates(schema, finance_user):
    _contract, period, members = seed_contract()
    for quarter in (1, 2, 3):
        _run(2025, quarter)
        issue_drafts(year=2025, quarter=quarter, by=finance_user)
    AgreedShare.objects.filter(period=period, member=members["241"]).update(percentage="20")
    _run(2025, 4)
    invoice = _issued(members["241"], 2025, 4, finance_user)
    assert invoice.lines.filter(description__startswith="Vuoden muiden laskujen").exists()
    assert_valid_finvoice(documents.invoice_finvoice_xml(invoice))


def test_a_92_character_member_name_and_a_swedish_member_validate(schema, finance_user):
    _contract, _period, members = seed_contract()
    long_name = members["976"]
    long_name.legal_name = (
        "Ylitornion kunnan " + "sosiaali- ja terveyspalvelujen " * 2 + "tilaajayksikkö"
    )
    long_name.legal_name = long_name.legal_name[:92]
    assert len(long_name.legal_name) == 92
    long_name.save()
    swedish = members["845"]
    swedish.invoicing_language = "sv"
    swedish.name_sv = "Tervola kommun"
    swedish.save()
    _run(2025, 1)
    xml = documents.invoice_finvoice_xml(_issued(long_name, 2025, 1, finance_user))
    assert_valid_finvoice(xml)
    assert xml.count(b"<BuyerOrganisationName>") == 2
    xml = documents.invoice_finvoice_xml(_issued(swedish, 2025, 1, finance_user))
    assert_valid_finvoice(xml)
    assert b"<InvoiceRecipientLanguageCode>SV</InvoiceRecipientLanguageCode>" in xml
    assert b"<InvoiceTypeText>FAKTURA</InvoiceTypeText>" in xml
    assert b"Tervola kommun" in xml


def test_a_row_name_is_shortened_on_purpose_and_kept_whole_in_its_description():
    text = "Osuus " + "pitkä selitys " * 12
    assert len(documents.shorten(text, 100)) <= 100
    assert documents.shorten(text, 100).endswith("...")


def test_characters_outside_iso_8859_15_are_replaced_not_referenced():
    assert documents.latin9("Sopimus “Tammi” – ŝ €") == 'Sopimus "Tammi" - s €'


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("einvoice_operator", "e-invoicing operator"),
        ("einvoice_address", "e-invoicing address"),
        ("street_address", "street address"),
        ("postal_code", "postal code"),
    ],
)
def test_issuing_is_refused_when_the_buyer_lacks_what_the_e_invoice_needs(
    field, label, finance_user
):
    _contract, _period, members = seed_contract()
    setattr(members["241"], field, "")
    members["241"].save()
    _run(2025, 1)
    draft = Invoice.objects.get(member=members["241"], year=2025, quarter=1)
    with pytest.raises(ValidationError) as info:
        services.invoice_issue(invoice=draft, by=finance_user, queue_documents=False)
    assert "Keminmaa" in info.value.messages[0] and label in info.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT
    result = issue_drafts(year=2025, quarter=1, by=finance_user)
    assert (result.issued, len(result.refused)) == (4, 1)
