"""Schemas of the caller, and the field types every app's API schemas share."""
import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import AfterValidator


def _gregorian(value: dt.date) -> dt.date:
    from apps.core.dates import check_api_date

    try:
        return check_api_date(value)
    except ValidationError as error:
        # pydantic reports a ValueError at the field, so the 422 says which date is wrong.
        raise ValueError(error.messages[0]) from None


# An ISO 8601 date whose year must be Gregorian: 2553-03-09 (a Buddhist Era year) is refused.
ApiDate = Annotated[dt.date, AfterValidator(_gregorian)]


class RoleOut(Schema):
    role: str
    label: str
    network: str | None
    city: str | None


class MeOut(Schema):
    authenticated: bool
    username: str | None
    roles: list[RoleOut]
