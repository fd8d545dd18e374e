"""ninja's limit/offset pagination with bounds a database can hold: an offset of 10**22
reached the query and failed there (500); now it is a 422 like any other invalid field."""
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

LARGEST = 10**9


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=LARGEST)
        offset: int = Field(0, ge=0, le=LARGEST)
