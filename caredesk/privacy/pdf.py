"""The readable PDF of a customer's data export (fpdf2): one heading per section, each record
as label/value lines, in a Unicode font when the system has one."""

import logging
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from caredesk.lib.display import day, money, when

# Font subsetting reports every table it prunes at INFO; the worker's log needs none of it.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]
MONEY_KEYS = {
    "subtotal",
    "discount_total",
    "tax",
    "delivery_fee",
    "total",
    "paid",
    "balance",
    "unit_price",
    "discount",
    "amount",
}


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _is_moment(key: str) -> bool:
    """The JSON document holds times as ISO strings: these keys are times."""
    return key == "at" or key.endswith("_at")


def _is_day(key: str) -> bool:
    return key in ("date", "valid_until") or key.endswith("_on")


def _text(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key in MONEY_KEYS and isinstance(value, Decimal | int | float | str):
        try:
            return money(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if isinstance(value, datetime) or (isinstance(value, str) and _is_moment(key)):
        return when(value)
    if isinstance(value, date) or (isinstance(value, str) and _is_day(key)):
        return day(value)
    if isinstance(value, list):
        return ", ".join(_text(key, v) for v in value) or "—"
    return str(value)


class _Pdf(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.title_text = title
        font = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
        if font:
            self.add_font("body", "", font)
            bold = font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
            self.add_font("body", "B", bold if Path(bold).exists() else font)
            self.family = "body"
            self.unicode = True
        else:
            self.family = "helvetica"
            self.unicode = False
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)

    def clean(self, text: str) -> str:
        if self.unicode:
            return text
        return (
            text.replace("₱", "PHP ")
            .replace("—", "-")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.clean(f"{self.title_text} · page {self.page_no()}"), align="C")

    def heading(self, text: str, size: int = 13):
        self.set_font(self.family, "B", size)
        self.ln(3)
        self.multi_cell(0, 7, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def pair(self, key: str, value, indent: int = 0):
        self.set_x(self.l_margin + indent)
        self.set_font(self.family, "B", 9)
        self.cell(45, 5, self.clean(_label(key)))
        self.set_font(self.family, "", 9)
        self.multi_cell(0, 5, self.clean(_text(key, value)), new_x="LMARGIN", new_y="NEXT")

    def record(self, data: dict, indent: int = 0):
        nested = {
            k: v for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)
        }
        for key, value in data.items():
            if key not in nested:
                self.pair(key, value, indent)
        for key, rows in nested.items():
            self.set_x(self.l_margin + indent)
            self.set_font(self.family, "B", 9)
            self.cell(0, 6, self.clean(_label(key)), new_x="LMARGIN", new_y="NEXT")
            for row in rows:
                self.record(row, indent + 6)
                self.ln(1)


def export_pdf(document: dict) -> bytes:
    """The document as a PDF: a cover summary, then every section."""
    customer = document["customer"]
    pdf = _Pdf(f"Personal data of {customer}")
    pdf.add_page()
    pdf.heading(f"Personal data held about {customer}", 16)
    pdf.set_font(pdf.family, "", 9)
    pdf.multi_cell(
        0,
        5,
        pdf.clean(
            f"Produced {when(document['generated_at'])} by {document['business']}. "
            "Every section below is what the business holds about you; card numbers are never "
            "stored beyond their last 4 digits."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for name, section in document["sections"].items():
        pdf.heading(_label(name))
        if isinstance(section, dict):
            pdf.record(section)
        elif isinstance(section, list):
            if not section:
                pdf.set_font(pdf.family, "", 9)
                pdf.cell(0, 5, pdf.clean("None held."), new_x="LMARGIN", new_y="NEXT")
            for item in section:
                if isinstance(item, dict):
                    pdf.record(item)
                    pdf.ln(2)
                else:
                    pdf.pair("value", item)
    return bytes(pdf.output())
