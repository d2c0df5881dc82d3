"""The PDF of an invoice, credit note or quote, drawn with fpdf2 from the document's frozen snapshot
(so the same document always prints the same). Core fonts only: amounts read "PHP 1,234.50"
because the core fonts have no peso sign; no font files or system libraries are needed."""

from decimal import Decimal

from django.utils import timezone
from fpdf import FPDF
from fpdf.fonts import FontFace


def _amount(value, currency: str) -> str:
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{currency} {abs(value):,.2f}"


def _text(value) -> str:
    """Core fonts are Latin-1: anything else becomes '?' rather than failing the PDF."""
    return str(value or "").encode("latin-1", "replace").decode("latin-1")


def invoice_pdf(invoice) -> bytes:
    issued = timezone.localtime(invoice.issued_at).strftime("%a %-d %b %Y, %H:%M")
    meta = [f"Issued {issued}", f"Order {invoice.order.number}"]
    if invoice.corrects_id:
        meta.append(f"Corrects {invoice.corrects.number}")
    rate = f"{invoice.vat_rate * 100:.0f}%"
    vat_label = f"VAT {rate} (included)" if invoice.vat_inclusive else f"VAT {rate}"
    return _document(
        title=f"{invoice.title} {invoice.number}",
        seller=invoice.seller,
        buyer=invoice.buyer,
        meta=meta,
        note=f"Reason: {invoice.reason}" if invoice.reason else "",
        lines=invoice.lines,
        figures=[
            ("Subtotal", invoice.subtotal),
            ("Discounts", -invoice.discount_total),
            ("Delivery fee", invoice.delivery_fee),
            ("VATable sales (net of VAT)", invoice.net_of_tax),
            (vat_label, invoice.tax),
            ("Total", invoice.total),
        ],
        currency=invoice.currency,
        when=invoice.issued_at,
    )


def quote_pdf(quote) -> bytes:
    from django.conf import settings

    from caredesk.billing.services.invoices import _buyer, _seller

    made = timezone.localtime(quote.created_at).strftime("%a %-d %b %Y")
    return _document(
        title=f"Quote {quote.number}",
        seller=_seller(quote.branch),
        buyer=_buyer(quote.customer),
        meta=[f"Made {made}", f"Valid until {quote.valid_until:%a %-d %b %Y}"],
        note="Prices include VAT." if settings.CAREDESK_VAT_INCLUSIVE else "",
        lines=quote.lines,
        figures=[
            ("Subtotal", quote.subtotal),
            ("Delivery fee", quote.delivery_fee),
            ("VAT", quote.tax),
            ("Total", quote.total),
        ],
        currency=settings.CAREDESK_CURRENCY,
        when=quote.created_at,
    )


def _document(*, title, seller, buyer, meta, note, lines, figures, currency, when) -> bytes:
    cur = currency
    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # small documents; the text stays searchable in tests
    pdf.set_title(_text(title))
    pdf.set_author(_text(seller.get("name")))
    pdf.set_creation_date(when)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _text(seller.get("name")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in (
        seller.get("address"),
        f"TIN {seller['tax_id']}" if seller.get("tax_id") else "",
        "VAT registered" if seller.get("vat_registered") else "Not VAT registered",
    ):
        if line:
            pdf.cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _text(" | ".join(meta)), new_x="LMARGIN", new_y="NEXT")
    if note:
        pdf.cell(0, 6, _text(note), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Billed to", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in (buyer.get("name"), f"Member {buyer.get('member_id', '')}", buyer.get("address")):
        if line:
            pdf.cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 9)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=(22, 70, 14, 28, 24, 32),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=heading,
    ) as table:
        table.row(["SKU", "Item", "Qty", "Unit price", "Discount", "Amount"])
        for row in lines:
            table.row(
                [
                    _text(row["sku"]),
                    _text(row["name"]),
                    str(row["quantity"]),
                    _amount(row["unit_price"], cur),
                    _amount(row.get("discount", "0.00"), cur),
                    _amount(row["total"], cur),
                ]
            )
    pdf.ln(4)
    for label, value in figures:
        bold = label == "Total"
        pdf.set_font("Helvetica", "B" if bold else "", 11 if bold else 10)
        pdf.cell(140, 6, label, align="R")
        pdf.cell(0, 6, _amount(value, cur), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
