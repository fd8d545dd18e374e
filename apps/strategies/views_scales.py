"""The network's prioritisation scales, kept by its national coordinator: the resilience
characteristics and feasibility criteria every city's ranking is computed on (see
apps.strategies.models.Scoring). Items are added, renamed, reweighted, reordered and taken out
of use (never deleted: interventions keep the codes they were scored on). A network that has
not set its own scales shows the defaults; the first change saves them as its own.

Rules: weights are positive (the model's validator), each scale keeps at least one item in use.
Only the network's national coordinator (and the superuser) may see the page: anyone else
gets 403, like the network's assessment scales.
"""
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core.access import access, require_network_admin
from apps.core.forms import StyledFormMixin
from apps.networks.models import Network
from apps.strategies.models import SCALES, scale_of

TITLES = {"characteristic": gettext_lazy("Resilience characteristics"),
          "criterion": gettext_lazy("Feasibility criteria")}


class ScaleItemForm(StyledFormMixin, forms.Form):
    name_th = forms.CharField(label=gettext_lazy("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=200,
                              required=False)
    weight = forms.DecimalField(label=gettext_lazy("weight"), max_digits=4, decimal_places=2,
                                min_value=0.01, initial=1)
    order = forms.IntegerField(label=gettext_lazy("order"), min_value=0, max_value=32767,
                               required=False)
    active = forms.BooleanField(label=gettext_lazy("in use"), required=False, initial=True)


def prefix(kind, code):
    """Each row's form has its own field names (and ids): "characteristic-redundancy-weight";
    the add form's are "characteristic-new-...". """
    return f"{kind}-{code or 'new'}"


def _materialise(model, network):
    """The network's own rows of this scale, saving the defaults first if it has none."""
    rows = scale_of(model, network)
    if rows and rows[0].pk is None:
        model.objects.bulk_create(rows)
        rows = scale_of(model, network)
    return rows


def _new_code(name_en, name_th, taken):
    base = (slugify(name_en) or slugify(name_th) or "item")[:34]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _change(request, network, kind):
    """Apply one add or save; returns the bound form when it is refused."""
    model, _defaults = SCALES[kind]
    form = ScaleItemForm(request.POST, prefix=prefix(kind, request.POST.get("code", "")))
    if not form.is_valid():
        return form
    data = form.cleaned_data
    with transaction.atomic():
        # The network's rows, locked: two coordinators saving at once cannot both take the
        # last item in use out.
        _materialise(model, network)
        rows = list(model.objects.select_for_update().filter(network=network))
        code = request.POST.get("code", "")
        if code:
            item = next((r for r in rows if r.code == code), None)
            if item is None:
                raise Http404(_("This item does not exist."))
        else:
            item = model(network=network, code=_new_code(data["name_en"], data["name_th"],
                                                         {r.code for r in rows}),
                         order=max((r.order for r in rows), default=0) + 1)
        if not data["active"] and not any(r.active for r in rows if r.pk != item.pk):
            form.add_error("active", _("Keep at least one item in use."))
            return form
        item.name_th, item.name_en, item.weight = data["name_th"], data["name_en"], data["weight"]
        item.active = data["active"]
        if data["order"] is not None:
            item.order = data["order"]
        item.save()
    return None


@access("network-admin")
@require_http_methods(["GET", "POST"])
def scales(request, slug):
    network = get_object_or_404(Network, slug=slug)
    require_network_admin(request, network)
    refused = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in SCALES:
            raise Http404(_("This item does not exist."))
        refused = _change(request, network, kind)
        if refused is None:
            messages.success(request, _("Saved. Every city's ranking now uses this scale."))
            return redirect("strategies:scales", slug=slug)
        refused.kind, refused.code = kind, request.POST.get("code", "")
    sections = []
    for kind, (model, _defaults) in SCALES.items():
        items = scale_of(model, network)
        for item in items:
            if refused is not None and (refused.kind, refused.code) == (kind, item.code):
                item.form = refused
            else:
                item.form = ScaleItemForm(initial={
                    "name_th": item.name_th, "name_en": item.name_en, "weight": item.weight,
                    "order": item.order, "active": item.active},
                    prefix=prefix(kind, item.code))
        adding = refused if refused is not None and refused.kind == kind \
            and not refused.code else ScaleItemForm(prefix=prefix(kind, ""))
        sections.append({"kind": kind, "title": TITLES[kind], "items": items,
                         "defaults": bool(items) and items[0].pk is None, "add": adding})
    return render(request, "strategies/scales.html", {"network": network,
                                                      "sections": sections},
                  status=400 if refused is not None else 200)
