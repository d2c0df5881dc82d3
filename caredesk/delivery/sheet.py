"""The route sheet as a PDF (fpdf2): one landscape page per run that a crew reads in a truck —
the stops in order with window, customer, address, phone, items, amount to collect, notes."""

from fpdf import FPDF
from fpdf.fonts import FontFace

from caredesk.customers.values import phone_local
from caredesk.delivery.models import Run
from caredesk.lib.display import day, money


def _latin(text: str) -> str:
    """The core PDF fonts speak Latin-1: the peso sign becomes "PHP", anything else "?"."""
    text = str(text).replace("\u20b1", "PHP ")
    return text.encode("latin-1", "replace").decode("latin-1")


def _window(stop) -> str:
    if stop.window_start and stop.window_end:
        return f"{stop.window_start:%H:%M}-{stop.window_end:%H:%M}"
    return "any time"


def _items(stop) -> str:
    return "; ".join(f"{ln.quantity} x {ln.name}" for ln in stop.order.lines.all())


def route_sheet_pdf(run: Run) -> bytes:
    """The PDF bytes of `run`'s route sheet (stops as loaded, in sequence order)."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(f"Route sheet run {run.pk}")
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.set_margins(10, 10, 10)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    crew = ", ".join(u.get_full_name() or u.get_username() for u in run.crew.all())
    title = f"Route sheet - run {run.pk} - {day(run.date)} - {run.branch.code}"
    pdf.cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.cell(
        0, 6, _latin(f"Vehicle {run.vehicle} - crew {crew or '-'}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font("helvetica", "", 10)
    heading = FontFace(emphasis="BOLD", fill_color=(225, 230, 240))
    with pdf.table(
        col_widths=(8, 20, 38, 62, 28, 52, 26, 43),
        headings_style=heading,
        line_height=5.5,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
    ) as table:
        table.row(
            ["#", "Window", "Customer / order", "Address", "Phone", "Items", "Collect", "Notes"]
        )
        for stop in run.stops.all():
            order = stop.order
            table.row(
                [
                    str(stop.sequence),
                    _window(stop),
                    _latin(f"{order.customer.display_name}\n{order.number}"),
                    _latin(stop.address or "-"),
                    _latin(phone_local(stop.phone) if stop.phone else "-"),
                    _latin(_items(stop)),
                    _latin(money(order.balance_due)),
                    _latin(
                        " ".join(
                            p
                            for p in (
                                "PICKUP." if stop.kind == "pickup" else "",
                                stop.notes,
                            )
                            if p
                        )
                    ),
                ]
            )
    return bytes(pdf.output())
