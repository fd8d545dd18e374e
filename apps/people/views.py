from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require, require_city_edit
from apps.networks.models import City
from apps.people.forms import EndMembershipForm, MembershipForm, OrganisationForm, PersonForm
from apps.people.models import Membership, Organisation, Person, WorkingGroup


def _group(request, slug):
    city = get_object_or_404(City, slug=slug)
    group = WorkingGroup.objects.visible_to(request.user).filter(city=city).select_related(
        "city").first()
    if group is None:
        raise Http404(_("This working group does not exist or is not published."))
    return group


def _group_page(request, group, form=None):
    scope = scope_of(request.user)
    today = timezone.localdate()
    memberships = group.memberships.select_related("person__organisation").order_by(
        "end", "role", "person__full_name_th")
    active = [m for m in memberships if m.start <= today and (m.end is None or m.end >= today)]
    return render(request, "people/group.html", {
        "group": group,
        "city": group.city,
        "active": active,
        "past": [m for m in memberships if m.end and m.end < today],
        "future": [m for m in memberships if m.start > today],
        "warning": WorkingGroup.size_warning(len(active)),
        "can_edit": scope.can_edit_city(group.city),
        # Contact details are personal data: the city's coordinators and the national
        # coordinator; members and experts of the city team see names, not contacts.
        "show_contacts": scope.can_edit_city(group.city),
        "form": form or MembershipForm(group=group),
        "end_form": EndMembershipForm(initial={"end": today}),
    })


@access("public")
def group_detail(request, slug):
    return _group_page(request, _group(request, slug))


@access("city-edit")
@require_POST
def add_member(request, slug):
    group = _group(request, slug)
    require_city_edit(request, group.city)
    form = MembershipForm(request.POST, group=group)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(person)s joined the working group.") % {
            "person": form.instance.person})
        return redirect("people:group", slug=slug)
    return _group_page(request, group, form)


@access("city-edit")
@require_POST
def end_membership(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("group__city"), pk=pk)
    if not scope_of(request.user).can_read_city(membership.group.city):
        raise Http404
    require_city_edit(request, membership.group.city)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            membership.end_on(form.cleaned_data["end"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Membership ended."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("people:group", slug=membership.group.city.slug)


def _city_for_people(request, slug):
    city = get_object_or_404(City, slug=slug)
    if not scope_of(request.user).can_read_city(city):
        raise Http404
    return city


@access("login")
@require_http_methods(["GET", "POST"])
def people_list(request, slug):
    city = _city_for_people(request, slug)
    can_edit = scope_of(request.user).can_edit_city(city)
    form = PersonForm(request.POST or None, city=city)
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            form.save()
            messages.success(request, _("%(person)s added.") % {"person": form.instance})
            return redirect("people:people", slug=slug)
    people = Person.objects.visible_to(request.user).filter(city=city).select_related(
        "organisation", "erasure")
    return render(request, "people/people.html", {
        # Contacts only for those who edit the city's people (see Person.contacts_visible_to).
        "city": city, "people": people, "form": form, "can_edit": can_edit,
        "show_contacts": can_edit,
    })


@access("city-edit")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("city", "erasure"), pk=pk)
    require_city_edit(request, person.city)
    if person.is_erased:  # editing would put personal data back
        messages.error(request, _("This person has been erased; their details cannot be "
                                  "edited."))
        return redirect("people:people", slug=person.city.slug)
    form = PersonForm(request.POST or None, instance=person, city=person.city)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("people:people", slug=person.city.slug)
    return render(request, "people/person_form.html", {"person": person, "form": form,
                                                        "city": person.city})


@access("login")
@require_http_methods(["GET", "POST"])
def organisations(request):
    scope = scope_of(request.user)
    editable_cities = City.objects.filter(scope.city_edit_q(prefix=""))
    form = OrganisationForm(request.POST or None, cities=editable_cities)
    if request.method == "POST":
        require(editable_cities.exists())
        if form.is_valid():
            form.save()
            messages.success(request, _("%(name)s added.") % {"name": form.instance})
            return redirect("people:organisations")
    rows = Organisation.objects.visible_to(request.user).select_related("city")
    kind = request.GET.get("kind", "")
    if kind:
        rows = rows.filter(kind=kind)
    return render(request, "people/organisations.html", {
        "organisations": rows, "form": form, "can_add": editable_cities.exists(), "kind": kind,
    })
