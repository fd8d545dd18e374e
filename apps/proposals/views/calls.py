"""(being written: stubs so the URLs load)"""
from django.http import Http404


def city_calls(request, *args, **kwargs):
    raise Http404


def new_call(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def edit(request, *args, **kwargs):
    raise Http404


def publish(request, *args, **kwargs):
    raise Http404


def history(request, *args, **kwargs):
    raise Http404

