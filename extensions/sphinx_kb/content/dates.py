"""Dates as authors write them in front matter.

Hugo and Astro sites carry dates in many shapes: YAML timestamps, ISO 8601 strings with or
without an offset (``+08:00`` or ``+0800``), and prose such as ``May. 04, 2026``. Every one of
them becomes an aware :class:`~datetime.datetime`: an offset that was written is kept, and a date
written without one is placed in the site's configured time zone, never the build machine's.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

#: dateutil fills fields missing from the text from this value, so the result never depends on
#: the day the site is built.
_FILL = dt.datetime(2000, 1, 1)

#: Words dateutil would accept that are not dates (``now``, ``today``), or strings with no digit.
_HAS_DIGIT = re.compile(r"\d")


#: A fixed offset from UTC, as ``kb_timezone`` may give it: ``+08:00``, ``+0800``, ``-05``.
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?")


def site_timezone(name: str) -> dt.tzinfo:
    """Return the time zone called *name*: an IANA name (``Asia/Shanghai``, ``UTC``) or an offset (``+08:00``).

    :raises ValueError: if the name is not a known time zone.
    """
    if name.upper() == "UTC":
        return dt.UTC
    if offset := _OFFSET.fullmatch(name):
        sign, hours, minutes = offset.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= dt.timedelta(hours=24) or int(minutes or 0) >= 60:
            raise ValueError(f"{name!r} is not an offset from UTC")
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"unknown time zone {name!r}") from err


def parse_date(value: object, tz: dt.tzinfo) -> dt.datetime:
    """Turn a front-matter date value into an aware datetime.

    :param value: what YAML produced: a ``date``, a ``datetime`` or a string.
    :param tz: the zone for values that carry no offset of their own.
    :raises ValueError: with a message fit for the author if *value* is not a date.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        moment = _parse_text(value.strip())
    else:
        raise ValueError(f"expected a date, got {type(value).__name__} {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def _parse_text(text: str) -> dt.datetime:
    if not _HAS_DIGIT.search(text):
        raise ValueError(f"{text!r} is not a date")
    try:
        # Python's ISO reader takes `2025-12-11 16:09:34+0800` as well as `...+08:00` and `Z`.
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dateutil_parser.parse(text, default=_FILL)
    except (ValueError, OverflowError) as err:
        raise ValueError(f"{text!r} is not a date") from err
