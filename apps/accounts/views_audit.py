"""The audit trail page: every app's change log in one timeline, read-only (apps/core/trail.py)."""
from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.scope import scope_of
from apps.core import trail
from apps.core.access import access, require
from apps.core.forms import LocalDateField, StyledFormMixin
from apps.networks.models import City


class TrailFilterForm(StyledFormMixin, forms.Form):
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none(),
                                  required=False, to_field_name="slug")
    kind = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    user = forms.CharField(label=gettext_lazy("Changed by (user name)"), required=False,
                           max_length=150)
    since = LocalDateField(label=gettext_lazy("From"), required=False)
    until = LocalDateField(label=gettext_lazy("To"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.select_related("network").order_by("network__slug", "name_th")
        if not scope.superuser:
            cities = cities.filter(scope.city_edit_q(""))
        self.fields["city"].queryset = cities
        self.fields["kind"].choices = [("", _("All"))] + [
            (source.key, source.label) for source in trail.SOURCES]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date cannot be before the start date."))
        return data


@access("login")
def audit_trail(request):
    """Who changed what, when, before and after, across the apps; for coordinators (their
    cities) and superusers (everything). Nothing here writes."""
    scope = scope_of(request.user)
    require(trail.may_read_trail(scope))
    form = TrailFilterForm(request.GET or None, scope=scope)
    filters, kinds = {}, None
    if form.is_bound and not form.is_valid():
        if "city" in form.errors:  # a city outside the user's scope, or none such
            raise Http404(_("No such city."))
        entries, more = [], False
    else:
        data = form.cleaned_data if form.is_bound else {}
        if data.get("city"):
            filters["city"] = data["city"]
        if data.get("kind"):
            kinds = {data["kind"]}
        if data.get("user"):
            filters["user"] = (get_user_model().objects
                               .filter(username=data["user"].strip()).first())
            if filters["user"] is None:
                kinds = set()  # nobody of that name: nothing to show
        filters["since"], filters["until"] = trail.day_bounds(data.get("since"),
                                                              data.get("until"))
        entries, more = ([], False) if kinds == set() else trail.trail(
            scope, kinds=kinds, page=_page(request), **filters)
    page = max(1, min(_page(request), trail.MAX_PAGES))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit.html", {
        "form": form, "entries": entries, "page": page, "query": query.urlencode(),
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if more and page < trail.MAX_PAGES else None,
    })


def _page(request):
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1
