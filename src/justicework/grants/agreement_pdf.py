"""The grant agreement of an award as a PDF, generated from the award's data in the grantee's
language (the application's): the parties, the project and its purpose, the amount, the period,
the payment tranches and their conditions, the reports due, the duty to keep records for
control, and the signature lines. Text is shaped with HarfBuzz (``core.pdf``), so Arabic joins
and runs right to left, and paragraphs of a right-to-left language are aligned to the right.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from justicework.core.pdf import FAMILY, is_rtl, prepare
from justicework.grants import retention
from justicework.grants.fields import text_in
from justicework.grants.models import Award, GranteeReport, Tranche


class AgreementPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.cell(0, 4, f"{self.footer_text} · {self.page_no()}", align="C")


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def condition_text(tranche: Tranche) -> str:
    if tranche.condition == Tranche.Condition.SIGNATURE:
        return _("on signature of the agreement")
    if tranche.condition == Tranche.Condition.REPORT and tranche.report is not None:
        return _("when the report “%(title)s” (due %(date)s) is approved") % {
            "title": tranche.report.title,
            "date": _date(tranche.report.due_on),
        }
    return _("on %(date)s") % {"date": _date(tranche.due_date)}


class Writer:
    """Paragraphs in the document's direction."""

    def __init__(self, pdf: FPDF, language: str) -> None:
        self.pdf = pdf
        self.align = "R" if is_rtl(language) else "L"

    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(2)
        self.pdf.set_font(FAMILY, size=size)
        self.pdf.multi_cell(0, 7, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FAMILY, size=10)

    def line(self, text: str) -> None:
        self.pdf.multi_cell(0, 5.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")


def _parties(out: Writer, award: Award) -> None:
    entity = award.legal_entity
    out.heading(_("1. The parties"))
    out.line(_("Granting organisation: %(name)s") % {"name": award.programme.organisation.name})
    out.line(
        _("Grantee: %(name)s, %(form)s registered in %(country)s under number %(number)s")
        % {
            "name": entity.legal_name,
            "form": entity.legal_form,
            "country": entity.country,
            "number": entity.registration_number,
        }
    )


def _project(out: Writer, award: Award, language: str) -> None:
    application, call = award.application, award.call
    out.heading(_("2. The project"))
    out.line(
        _("Call: %(ref)s — %(title)s")
        % {"ref": call.reference, "title": text_in(call.title, language)}
    )
    out.line(
        _("Application: %(ref)s — %(title)s")
        % {"ref": application.reference, "title": application.title}
    )
    if award.purpose:
        out.line(_("Purpose: %(purpose)s") % {"purpose": award.purpose})
    out.line(
        _("Period: from %(start)s to %(end)s")
        % {"start": _date(award.start_date), "end": _date(award.end_date)}
    )
    out.heading(_("3. The amount"))
    out.line(_("Amount of the grant: %(amount)s") % {"amount": money(award.amount, award.currency)})
    if award.currency != award.programme.currency:
        out.line(
            _("Equivalent counted under the programme's maximum: %(amount)s")
            % {"amount": money(award.amount_programme, award.programme.currency)}
        )


def _tranches(out: Writer, award: Award) -> None:
    out.heading(_("4. Payments"))
    tranches = list(award.tranches.select_related("report").order_by("order"))
    if not tranches:
        out.line(_("The payment schedule will be agreed in writing."))
    for tranche in tranches:
        out.line(
            _("Tranche %(n)s: %(amount)s, %(condition)s")
            % {
                "n": tranche.order,
                "amount": money(tranche.amount, award.currency),
                "condition": condition_text(tranche),
            }
        )


def _reports(out: Writer, award: Award) -> None:
    out.heading(_("5. Reporting"))
    reports = list(award.reports.order_by("due_on", "pk"))
    if not reports:
        out.line(_("A final report is due at the end of the period."))
    for report in reports:
        out.line(
            _("%(kind)s “%(title)s”, due %(date)s")
            % {
                "kind": GranteeReport.Kind(report.kind).label,
                "title": report.title,
                "date": _date(report.due_on),
            }
        )
    out.line(
        _(
            "Reports give the narrative, the money spent against each budget line of the "
            "application and the results achieved, as the programme's indicators ask."
        )
    )


def _duties(out: Writer, award: Award) -> None:
    out.heading(_("6. Records and controls"))
    out.line(
        _(
            "The grantee keeps every record of the project for %(years)s years after the last "
            "payment and gives access to them to the granting organisation, the European "
            "Commission, the European Anti-Fraud Office (OLAF) and the European Court of "
            "Auditors."
        )
        % {"years": retention.years(award.programme)}
    )
    out.heading(_("7. Signatures"))
    for party in (award.programme.organisation.name, award.legal_entity.legal_name):
        out.line(_("For %(party)s: name, date and signature") % {"party": party})
        out.pdf.ln(10)


def build(award: Award, language: str, version: int) -> AgreementPDF:
    """The agreement laid out (exposed for tests that look at the glyphs the shaping chose)."""
    with translation.override(language):
        pdf = AgreementPDF(format="A4")
        pdf.footer_text = _("Grant agreement %(ref)s, version %(version)s") % {
            "ref": award.application.reference,
            "version": version,
        }
        prepare(pdf, title=pdf.footer_text)
        out = Writer(pdf, language)
        out.heading(_("Grant agreement"), size=18)
        out.line(pdf.footer_text)
        _parties(out, award)
        _project(out, award, language)
        _tranches(out, award)
        _reports(out, award)
        _duties(out, award)
    return pdf


def render(award: Award, language: str, version: int) -> bytes:
    return bytes(build(award, language, version).output())


def filename(award: Award, version: int) -> str:
    """An ASCII file name (the award's id; references may hold any character)."""
    return f"grant-agreement-{award.pk}-v{version}.pdf"
