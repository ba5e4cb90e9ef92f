"""An issued invoice as a PDF (WeasyPrint) and as Finvoice 3.0 XML for e-invoicing."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import timezone, translation
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


def invoice_pdf(invoice: Invoice) -> bytes:
    with translation.override("fi"):
        return render_pdf(
            "contracts/invoice_pdf.html",
            {
                "invoice": invoice,
                "contract": invoice.contract,
                "iban": stdnum_iban.format(invoice.contract.issuer_iban),
                "barcode": invoice_barcode(invoice),
                "lines": list(invoice.lines.all()),
            },
        )


def _amount(value: Decimal) -> str:
    # Finvoice writes amounts with a decimal comma and no grouping.
    return f"{value:.2f}".replace(".", ",")


def _date(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag, Format="CCYYMMDD")
    element.text = value.strftime("%Y%m%d")
    return element


def _text(parent: ET.Element, tag: str, text, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, **attrs)
    element.text = str(text)
    return element


def _party(parent: ET.Element, prefix: str, organisation) -> None:
    details = ET.SubElement(parent, f"{prefix}PartyDetails")
    _text(details, f"{prefix}PartyIdentifier", organisation.business_id)
    _text(details, f"{prefix}OrganisationName", organisation.name_fi)
    address = ET.SubElement(details, f"{prefix}PostalAddressDetails")
    _text(address, f"{prefix}StreetName", organisation.street_address or "-")
    _text(address, f"{prefix}TownName", organisation.post_office or organisation.name_fi)
    _text(address, f"{prefix}PostCodeIdentifier", organisation.postal_code or "00000")
    _text(address, "CountryCode", "FI")


def invoice_finvoice_xml(invoice: Invoice) -> bytes:
    """Finvoice 3.0: seller and buyer, invoice details with the VAT specification, the
    rows, and the EPI payment details (BIC, IBAN, reference, amount, due date)."""
    contract, issuer, buyer = invoice.contract, invoice.issuer, invoice.member
    eur = {"AmountCurrencyIdentifier": "EUR"}
    root = ET.Element("Finvoice", Version="3.0")

    transmission = ET.SubElement(root, "MessageTransmissionDetails")
    sender = ET.SubElement(transmission, "MessageSenderDetails")
    _text(sender, "FromIdentifier", issuer.einvoice_address or issuer.business_id)
    _text(sender, "FromIntermediator", issuer.einvoice_operator or "-")
    receiver = ET.SubElement(transmission, "MessageReceiverDetails")
    _text(receiver, "ToIdentifier", buyer.einvoice_address or buyer.business_id)
    _text(receiver, "ToIntermediator", buyer.einvoice_operator or "-")
    message = ET.SubElement(transmission, "MessageDetails")
    _text(message, "MessageIdentifier", f"{issuer.code}-{invoice.number}")
    _text(message, "MessageTimeStamp", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))

    _party(root, "Seller", issuer)
    seller_info = ET.SubElement(root, "SellerInformationDetails")
    account = ET.SubElement(seller_info, "SellerAccountDetails")
    _text(account, "SellerAccountID", contract.issuer_iban, IdentificationSchemeName="IBAN")
    _text(account, "SellerBic", contract.issuer_bic, IdentificationSchemeName="BIC")
    _party(root, "Buyer", buyer)

    details = ET.SubElement(root, "InvoiceDetails")
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    _text(details, "InvoiceTypeCode", "INV02" if credit else "INV01")
    _text(details, "InvoiceTypeText", "HYVITYSLASKU" if credit else "LASKU")
    _text(details, "OriginCode", "Original")
    if credit:
        _text(details, "OriginalInvoiceNumber", invoice.credited_invoice.number)
    _text(details, "InvoiceNumber", invoice.number)
    _date(details, "InvoiceDate", invoice.invoice_date)
    _text(details, "SellerReferenceIdentifier", invoice.reference)
    _text(details, "InvoiceTotalVatExcludedAmount", _amount(invoice.amount_excluding_vat), **eur)
    _text(details, "InvoiceTotalVatAmount", _amount(invoice.vat_amount), **eur)
    _text(details, "InvoiceTotalVatIncludedAmount", _amount(invoice.total), **eur)
    vat = ET.SubElement(details, "VatSpecificationDetails")
    _text(vat, "VatBaseAmount", _amount(invoice.amount_excluding_vat), **eur)
    _text(vat, "VatRatePercent", _amount(invoice.vat_rate))
    _text(vat, "VatRateAmount", _amount(invoice.vat_amount), **eur)
    _text(vat, "VatFreeText", invoice.vat_note)
    _text(details, "InvoiceFreeText", f"{contract.name}, Q{invoice.quarter}/{invoice.year}")
    terms = ET.SubElement(details, "PaymentTermsDetails")
    _text(terms, "PaymentTermsFreeText", f"{invoice.payment_term_days} pv netto")
    _date(terms, "InvoiceDueDate", invoice.due_date)

    for line in invoice.lines.all():
        row = ET.SubElement(root, "InvoiceRow")
        if line.amount is None:
            _text(row, "RowFreeText", line.description)
            continue
        _text(row, "ArticleName", line.description)
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
    _text(beneficiary, "EpiNameAddressDetails", issuer.name_fi)
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
