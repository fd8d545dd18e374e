"""(being written: stubs so the URLs load)"""
from django.http import Http404


def home(request, *args, **kwargs):
    raise Http404


def declare(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def progress(request, *args, **kwargs):
    raise Http404


def score(request, *args, **kwargs):
    raise Http404


def correct(request, *args, **kwargs):
    raise Http404

