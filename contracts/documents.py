"""An issued invoice as a PDF (WeasyPrint) and as Finvoice 3.0 XML for e-invoicing."""

import base64
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban

from contracts.allocation import virtual_barcode
from contracts.models import Invoice
from fostercare.pdf import render_pdf


def invoice_barcode(invoice: Invoice) -> str:
    """The virtual bar code, or "" for a credit note (nothing to pay)."""
    if invoice.total <= 0:
        return ""
    return virtual_barcode(
        iban=invoice.contract.issuer_iban,
        amount=invoice.total,
        reference=invoice.reference,
        due_date=invoice.due_date,
    )


def barcode_svg_data_uri(digits: str) -> str:
    """The virtual bar code as a Code 128 image (SVG in a data: URL, which the PDF
    renderer may load): 0.25 mm modules, 10 mm high, with the quiet zones banks expect."""
    import barcode
    from barcode.writer import SVGWriter

    svg = barcode.get("code128", digits, writer=SVGWriter()).render(
        {"module_width": 0.25, "module_height": 10, "quiet_zone": 6.5, "write_text": False}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice in its recipient's language, a tagged PDF (PDF/UA-1). An invoice has
    a payment slip with the bar code; a credit note has none and names what it credits."""
    language = invoice.member.invoicing_language or "fi"
    barcode = "" if invoice.is_credit else invoice_barcode(invoice)
    with translation.override(language):
        return render_pdf(
            "contracts/invoice_pdf.html",
            {
                "invoice": invoice,
                "contract": invoice.contract,
                "language": language,
                "issuer_name": invoice.issuer.invoicing_name,
                "buyer_name": invoice.member.invoicing_name,
                "iban": stdnum_iban.format(invoice.contract.issuer_iban),
                "barcode": barcode,
                "barcode_image": barcode_svg_data_uri(barcode) if barcode else "",
                "lines": list(invoice.lines.all()),
            },
            pdf_variant="pdf/ua-1",
        )


def _amount(value: Decimal) -> str:
    # Finvoice writes amounts with a decimal comma and no grouping.
    return f"{value:.2f}".replace(".", ",")


# Finvoice travels in ISO-8859-15 (the banks' network checks that the content really is
# in it), so every text is written with characters of that set only.
_LATIN9_SUBSTITUTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "\u202f": " ",
    }
)


def latin9(text) -> str:
    text = str(text).translate(_LATIN9_SUBSTITUTES)
    if all(_encodable(c) for c in text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if _encodable(c))
    return unicodedata.normalize("NFC", kept)


def _encodable(character: str) -> bool:
    try:
        character.encode("iso-8859-15")
    except UnicodeEncodeError:
        return False
    return True


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to fit ``limit`` characters, marked with "..."."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,:;")
    return f"{cut}..."


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, split between words, for the
    elements that repeat to carry a long name."""
    parts, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = word[:limit]
    return [*parts, current] if current else parts


def _date(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag, Format="CCYYMMDD")
    element.text = value.strftime("%Y%m%d")
    return element


def _text(parent: ET.Element, tag: str, text, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, **attrs)
    element.text = latin9(text)
    return element


def finvoice_missing(organisation, *, role: str) -> list[str]:
    """What an organisation's record lacks for a Finvoice message to reach it (or come
    from it) and to validate: e-invoicing address and operator, and a postal address.
    ``role`` is "buyer" or "seller". Empty when nothing is missing."""
    labels = {
        "einvoice_address": (2, 35),
        "einvoice_operator": (2, 35),
        "street_address": (2, 35),
        "postal_code": (2, 35),
        "post_office": (2, 35),
    }
    missing = []
    for name, (shortest, longest) in labels.items():
        value = getattr(organisation, name)
        if not shortest <= len(value) <= longest:
            missing.append(str(organisation._meta.get_field(name).verbose_name))
    return missing


def _party(parent: ET.Element, prefix: str, organisation) -> None:
    details = ET.SubElement(parent, f"{prefix}PartyDetails")
    _text(details, f"{prefix}PartyIdentifier", organisation.business_id)
    for part in _chunks(latin9(organisation.invoicing_name), 70):
        _text(details, f"{prefix}OrganisationName", part)
    address = ET.SubElement(details, f"{prefix}PostalAddressDetails")
    _text(address, f"{prefix}StreetName", organisation.street_address)
    _text(address, f"{prefix}TownName", organisation.post_office)
    _text(address, f"{prefix}PostCodeIdentifier", organisation.postal_code)
    _text(address, "CountryCode", "FI")


def _texts(language: str) -> dict:
    with translation.override(language):
        return {
            "invoice": _("INVOICE"),
            "credit_note": _("CREDIT NOTE"),
            "terms": _("%(days)s days net"),
            "penalty": _("Penalty interest: Interest Act (633/1982) 4 §"),
            "credits": _("Credits invoice %(number)s of %(date)s"),
            "share_fell": _(
                "The share of the year fell below what the year's other invoices carry: "
                "this credit note returns the difference. Nothing to pay."
            ),
        }


def invoice_finvoice_xml(invoice: Invoice) -> bytes:
    """Finvoice 3.0 in the schema's order and lengths: seller and buyer, invoice details
    with the VAT specification, the rows, and the EPI payment details (BIC, IBAN,
    reference, amount, due date). Written in ISO-8859-15 with characters of that set only.
    The buyer's and seller's records must carry what routing needs (``finvoice_missing``):
    issuing refuses an invoice whose documents could not be delivered."""
    contract, issuer, buyer = invoice.contract, invoice.issuer, invoice.member
    texts = _texts(buyer.invoicing_language)
    eur = {"AmountCurrencyIdentifier": "EUR"}
    root = ET.Element("Finvoice", Version="3.0")

    transmission = ET.SubElement(root, "MessageTransmissionDetails")
    sender = ET.SubElement(transmission, "MessageSenderDetails")
    _text(sender, "FromIdentifier", issuer.einvoice_address)
    _text(sender, "FromIntermediator", issuer.einvoice_operator)
    receiver = ET.SubElement(transmission, "MessageReceiverDetails")
    _text(receiver, "ToIdentifier", buyer.einvoice_address)
    _text(receiver, "ToIntermediator", buyer.einvoice_operator)
    message = ET.SubElement(transmission, "MessageDetails")
    _text(message, "MessageIdentifier", f"{issuer.code}-{invoice.number}")
    _text(message, "MessageTimeStamp", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))

    _party(root, "Seller", issuer)
    if contract.contact_name:
        _text(root, "SellerContactPersonName", shorten(contract.contact_name, 70))
    if contract.contact_phone or contract.contact_email:
        communication = ET.SubElement(root, "SellerCommunicationDetails")
        if contract.contact_phone:
            _text(communication, "SellerPhoneNumberIdentifier", contract.contact_phone[:35])
        if contract.contact_email:
            _text(communication, "SellerEmailaddressIdentifier", contract.contact_email[:70])
    seller_info = ET.SubElement(root, "SellerInformationDetails")
    account = ET.SubElement(seller_info, "SellerAccountDetails")
    _text(account, "SellerAccountID", contract.issuer_iban, IdentificationSchemeName="IBAN")
    _text(account, "SellerBic", contract.issuer_bic, IdentificationSchemeName="BIC")
    _text(root, "InvoiceRecipientLanguageCode", buyer.invoicing_language.upper())
    _party(root, "Buyer", buyer)

    details = ET.SubElement(root, "InvoiceDetails")
    credit = invoice.is_credit  # a credit note, or a negative invoice that closes a year
    _text(details, "InvoiceTypeCode", "INV02" if credit else "INV01")
    _text(details, "InvoiceTypeText", texts["credit_note" if credit else "invoice"])
    _text(details, "OriginCode", "Original")
    _text(details, "InvoiceNumber", invoice.number)
    _date(details, "InvoiceDate", invoice.invoice_date)
    if invoice.credited_invoice:
        _text(details, "OriginalInvoiceNumber", invoice.credited_invoice.number)
        _date(details, "OriginalInvoiceDate", invoice.credited_invoice.invoice_date)
    _text(details, "SellerReferenceIdentifier", invoice.reference)
    if buyer.buyer_reference:
        _text(details, "BuyerReferenceIdentifier", buyer.buyer_reference)
    _text(details, "AgreementIdentifier", shorten(latin9(contract.name), 70))
    _text(details, "InvoiceTotalVatExcludedAmount", _amount(invoice.amount_excluding_vat), **eur)
    _text(details, "InvoiceTotalVatAmount", _amount(invoice.vat_amount), **eur)
    _text(details, "InvoiceTotalVatIncludedAmount", _amount(invoice.total), **eur)
    vat = ET.SubElement(details, "VatSpecificationDetails")
    _text(vat, "VatBaseAmount", _amount(invoice.amount_excluding_vat), **eur)
    _text(vat, "VatRatePercent", _amount(invoice.vat_rate))
    _text(vat, "VatRateAmount", _amount(invoice.vat_amount), **eur)
    _text(vat, "VatFreeText", shorten(latin9(invoice.vat_note), 70))
    _text(details, "InvoiceFreeText", f"{contract.name}, Q{invoice.quarter}/{invoice.year}")
    if credit and not invoice.credited_invoice:
        _text(details, "InvoiceFreeText", shorten(latin9(texts["share_fell"]), 512))
    if invoice.credited_invoice:
        _text(
            details,
            "InvoiceFreeText",
            texts["credits"]
            % {
                "number": invoice.credited_invoice.number,
                "date": invoice.credited_invoice.invoice_date.strftime("%-d.%-m.%Y"),
            },
        )
    terms = ET.SubElement(details, "PaymentTermsDetails")
    _text(terms, "PaymentTermsFreeText", texts["terms"] % {"days": invoice.payment_term_days})
    _date(terms, "InvoiceDueDate", invoice.due_date)
    fine = ET.SubElement(terms, "PaymentOverDueFineDetails")
    _text(fine, "PaymentOverDueFineFreeText", shorten(texts["penalty"], 70))

    barcode = invoice_barcode(invoice)
    if barcode:
        _text(root, "VirtualBankBarcode", barcode)
    for line in invoice.lines.all():
        row = ET.SubElement(root, "InvoiceRow")
        if line.amount is None:
            _text(row, "RowFreeText", line.description)
            continue
        # a row's name has 100 characters; the whole explanation goes in its description
        _text(row, "ArticleName", shorten(latin9(line.description), 100))
        _text(row, "ArticleDescription", line.description)
        _text(row, "DeliveredQuantity", "1", QuantityUnitCode="kpl")
        _text(row, "UnitPriceAmount", _amount(line.amount), **eur)
        _text(row, "RowVatRatePercent", _amount(invoice.vat_rate))
        _text(row, "RowVatExcludedAmount", _amount(line.amount), **eur)

    epi = ET.SubElement(root, "EpiDetails")
    identification = ET.SubElement(epi, "EpiIdentificationDetails")
    _date(identification, "EpiDate", invoice.invoice_date)
    _text(identification, "EpiReference", invoice.number)
    parties = ET.SubElement(epi, "EpiPartyDetails")
    bank = ET.SubElement(parties, "EpiBfiPartyDetails")
    _text(bank, "EpiBfiIdentifier", contract.issuer_bic, IdentificationSchemeName="BIC")
    beneficiary = ET.SubElement(parties, "EpiBeneficiaryPartyDetails")
    _text(beneficiary, "EpiNameAddressDetails", shorten(latin9(issuer.invoicing_name), 35))
    _text(beneficiary, "EpiBei", issuer.business_id)
    _text(beneficiary, "EpiAccountID", contract.issuer_iban, IdentificationSchemeName="IBAN")
    instruction = ET.SubElement(epi, "EpiPaymentInstructionDetails")
    _text(
        instruction,
        "EpiRemittanceInfoIdentifier",
        invoice.reference,
        IdentificationSchemeName="SPY",
    )
    _text(instruction, "EpiInstructedAmount", _amount(invoice.total), **eur)
    ET.SubElement(instruction, "EpiCharge", ChargeOption="SHA").text = "SHA"
    _date(instruction, "EpiDateOptionDate", invoice.due_date)

    ET.indent(root)
    return ET.tostring(root, encoding="ISO-8859-15", xml_declaration=True)
