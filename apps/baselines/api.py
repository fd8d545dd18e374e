"""City baseline profiles. Published ones are public; unpublished ones are for the city's
readers (404 to everyone else). The city's coordinators and experts change them."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.baselines.models import BaselineProfile, EconomicSector, LandUse, check_shares
from apps.baselines.schemas import BaselineDetail, BaselineOut, BaselinePatch
from apps.networks.api import city_or_404, network_or_404
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["baselines"])


def profiles(user):
    return (BaselineProfile.objects.visible_to(user).select_related("city")
            .with_checks().order_by("city__name_en"))


def _not_found(slug):
    return Http404(gettext("No baseline for %(slug)s, or it is not published.") % {"slug": slug})


@router.get("/baselines", response=list[BaselineOut])
@paginate(LimitOffsetPagination)
def list_baselines(request, network: str | None = None, city: str | None = None):
    """Every baseline the caller may read, with its completeness."""
    rows = profiles(request.user)
    if network:
        rows = rows.filter(city__network=network_or_404(network))
    if city:
        rows = rows.filter(city=city_or_404(city))
    return rows


@router.get("/baselines/{slug}", response=BaselineDetail)
def get_baseline(request, slug: str):
    profile = (profiles(request.user).filter(city__slug=slug)
               .prefetch_related("sectors", "land_use", "disasters", "normals").first())
    if profile is None:
        raise _not_found(slug)
    return profile


def _rows(model, items, profile, label):
    """Validated rows for a replaced list; errors name the row (1-based)."""
    rows = []
    for number, item in enumerate(items, 1):
        row = model(profile=profile, order=number, **item)
        try:
            row.full_clean(exclude=["profile"])
        except ValidationError as error:
            raise ValidationError({
                name: [gettext("Row %(row)s: %(message)s") % {"row": number, "message": m}
                       for m in messages] for name, messages in error.message_dict.items()
            }) from None
        rows.append(row)
    check_shares([(n, label(row), row.share) for n, row in enumerate(rows, 1)],
                 model._meta.verbose_name)
    return rows


@router.patch("/baselines/{slug}", response=BaselineDetail)
def patch_baseline(request, slug: str, payload: BaselinePatch):
    user = require_login(request)
    city = city_or_404(slug)
    profile = BaselineProfile.objects.filter(city=city).first()
    scope = scope_of(user)
    # 404 before 403: never confirm that another city's unpublished baseline exists.
    if not (scope.can_read_city(city) or (profile and profile.published)):
        raise _not_found(slug)
    if not scope.can_assess_city(city):
        raise HttpError(403, gettext("Only the city's coordinators and experts may change its "
                                     "baseline."))
    profile = profile or BaselineProfile(city=city)
    changes = payload.dict(exclude_unset=True)
    sectors = changes.pop("sectors", None)
    land_use = changes.pop("land_use", None)
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.updated_by = user
    profile.full_clean(exclude=["city"])  # ranges, the normals period; 422 with the field
    new_sectors = new_land_use = None
    try:
        if sectors is not None:
            new_sectors = _rows(EconomicSector, sectors, profile,
                                lambda r: r.name_en or r.name_th)
    except ValidationError as error:
        raise ValidationError({"sectors": error.messages}) from None
    try:
        if land_use is not None:
            new_land_use = _rows(LandUse, land_use, profile, lambda r: r.get_category_display())
    except ValidationError as error:
        raise ValidationError({"land_use": error.messages}) from None
    with transaction.atomic():
        profile.save()
        for rows, related in ((new_sectors, profile.sectors), (new_land_use, profile.land_use)):
            if rows is not None:
                related.all().delete()
                for row in rows:
                    row.profile = profile
                related.model.objects.bulk_create(rows)
    return get_baseline(request, slug)  # whoever may change it may read it
