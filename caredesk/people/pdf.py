"""A payslip as a one-page PDF (fpdf2, core fonts: text is reduced to Latin-1)."""

from django.conf import settings
from fpdf import FPDF

from caredesk.lib.display import day, money, when
from caredesk.people.policy import pay_period


def _latin(text: str) -> str:
    return str(text).replace("₱", "PHP ").encode("latin-1", "replace").decode("latin-1")


def payslip_pdf(slip) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin(f"Payslip {slip.period_start}"))
    pdf.set_author(_latin(settings.CAREDESK_BUSINESS_NAME))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(settings.CAREDESK_BUSINESS_NAME), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, "Payslip", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    employee = slip.employee
    period = pay_period(slip.period_start)
    rows = [
        (
            "Employee",
            f"{employee.get_full_name() or employee.get_username()} ({employee.get_username()})",
        ),
        ("Pay period", f"{day(period.start)} - {day(period.end)}"),
        ("Approved overtime", f"{slip.overtime_hours} hours"),
        ("Gross pay", money(slip.gross)),
        ("Deductions", money(slip.deductions)),
        ("Net pay", money(slip.net)),
        ("Issued", when(slip.issued_at)),
    ]
    if slip.note:
        rows.append(("Note", slip.note))
    for label, value in rows:
        pdf.set_font("Helvetica", "B" if label == "Net pay" else "", 11)
        pdf.cell(55, 8, _latin(label), border="B")
        pdf.cell(0, 8, _latin(value), border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, "Confidential: for the employee named above.")
    return bytes(pdf.output())
