"""The ranking as a spreadsheet (XLSX, CSV), the selection report and a proposal's dossier as
PDFs. Each is in the page's language, or the one asked for with ?lang=th|en; Thai dates are
Buddhist Era. PDFs are printed by headless Chromium (apps.events.pdf), whose PDFs keep Thai
text exact when copied or searched."""
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.access import access
from apps.events import pdf
from apps.proposals import exports
from apps.proposals.access import call_for, proposal_for, require_ranking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang(request):
    asked = request.GET.get("lang")
    if asked in ("th", "en"):
        return asked
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def _download(content, content_type, filename, inline=False):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def _ranking(request, pk):
    call = call_for(request, pk)
    require_ranking(request, call)
    lang = _lang(request)
    with translation.override(lang):
        export = exports.ranking_export(call, request.GET.get("method"))
        header, rows = exports.ranking_table(export)
        notes = exports.ranking_notes(export)
        sheet = _("Ranking")
    return call, export, header, rows, notes, sheet, lang


@access("selection")
def ranking_xlsx(request, pk):
    call, export, header, rows, notes, sheet, lang = _ranking(request, pk)
    with translation.override(lang):
        content = exports.to_xlsx(header, rows, notes, sheet)
    return _download(content, XLSX, f"ranking-call-{call.pk}-{export.method}-{lang}.xlsx")


@access("selection")
def ranking_csv(request, pk):
    call, export, header, rows, _notes, _sheet, lang = _ranking(request, pk)
    return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8",
                     f"ranking-call-{call.pk}-{export.method}-{lang}.csv")


@access("selection")
def selection_report(request, pk):
    call = call_for(request, pk)
    require_ranking(request, call)
    lang = _lang(request)
    with translation.override(lang):
        context = exports.selection_report(call, request.GET.get("method"))
        html = render_to_string("proposals/print/selection_report.html", {**context, "lang": lang})
    return _download(pdf.html_to_pdf(html), "application/pdf",
                     f"selection-report-call-{call.pk}-{lang}.pdf", inline=True)


@access("login")
def dossier_pdf(request, pk):
    proposal = proposal_for(request, pk)
    lang = _lang(request)
    with translation.override(lang):
        html = render_to_string("proposals/print/dossier.html",
                                {**exports.dossier(proposal), "lang": lang})
    return _download(pdf.html_to_pdf(html), "application/pdf",
                     f"proposal-{proposal.pk}-{lang}.pdf", inline=True)
