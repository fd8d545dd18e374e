"""A person's data on request: the privacy page, the JSON export and the erasure."""
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.access import access, require
from apps.people import privacy
from apps.people.forms import ErasureForm


def _person(request, pk):
    person = privacy.person_for(request.user, pk)
    if person is None:
        raise Http404
    return person


# "city-edit": the city's coordinators and the national coordinator; the person themself too
# (their linked account), which the matrix's world has no case of.
@access("city-edit")
def person_data(request, pk):
    person = _person(request, pk)
    require(privacy.can_export(request.user, person))
    return render(request, "people/person_data.html", {
        "person": person, "city": person.city,
        "can_erase": privacy.can_erase(request.user, person),
    })


@access("city-edit")
def person_export(request, pk):
    person = _person(request, pk)
    require(privacy.can_export(request.user, person))
    body = json.dumps(privacy.export(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@access("city-edit")
@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    person = _person(request, pk)
    require(privacy.can_erase(request.user, person))
    if person.is_erased:
        messages.error(request, _("This person has already been erased."))
        return redirect("people:person-data", pk=person.pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.erase(person, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The person's personal data was erased; their "
                                        "participation stays in the statistics."))
        return redirect("people:people", slug=person.city.slug)
    return render(request, "people/person_erase.html", {
        "person": person, "city": person.city, "form": form,
    })
