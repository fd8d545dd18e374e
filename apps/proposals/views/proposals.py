"""(being written: stubs so the URLs load)"""
from django.http import Http404


def new(request, *args, **kwargs):
    raise Http404


def mine(request, *args, **kwargs):
    raise Http404


def dossier(request, *args, **kwargs):
    raise Http404


def edit(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404


def attach(request, *args, **kwargs):
    raise Http404


def attachment(request, *args, **kwargs):
    raise Http404


def screen(request, *args, **kwargs):
    raise Http404

