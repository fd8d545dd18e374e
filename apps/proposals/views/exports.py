"""(being written: stubs so the URLs load)"""
from django.http import Http404


def ranking_xlsx(request, *args, **kwargs):
    raise Http404


def ranking_csv(request, *args, **kwargs):
    raise Http404


def selection_report(request, *args, **kwargs):
    raise Http404


def dossier_pdf(request, *args, **kwargs):
    raise Http404

