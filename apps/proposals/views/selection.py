"""(being written: stubs so the URLs load)"""
from django.http import Http404


def ranking(request, *args, **kwargs):
    raise Http404


def weights(request, *args, **kwargs):
    raise Http404


def shortlist(request, *args, **kwargs):
    raise Http404


def review(request, *args, **kwargs):
    raise Http404


def decide(request, *args, **kwargs):
    raise Http404


def correct(request, *args, **kwargs):
    raise Http404

