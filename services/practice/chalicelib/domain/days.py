"""Calendar days in Asia/Seoul: statistics, streaks and date filters all count KST days.

Korea has no daylight saving time, so KST is a fixed UTC+9 and needs no tz database (Lambda images lack one).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from speaktracker.errors import Invalid

KST = timezone(timedelta(hours=9), "KST")
MAX_RANGE_DAYS = 366


def kst_day(instant: datetime) -> date:
    return instant.astimezone(KST).date()


def day_start_utc(day: date) -> datetime:
    """The UTC instant at which the KST day begins (00:00 KST is 15:00 UTC the day before)."""
    return datetime(day.year, day.month, day.day, tzinfo=KST).astimezone(UTC)


def parse_day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise Invalid(f"{field} must be a date like 2025-01-30.", "INVALID_DATE", {"field": field}) from exc


def day_range(raw_from: str | None, raw_to: str | None, today: date, default_days: int = 30) -> tuple[date, date]:
    """Inclusive KST date range from optional ``from``/``to``; by default the last ``default_days`` days."""
    end = parse_day(raw_to, "to") if raw_to else today
    start = parse_day(raw_from, "from") if raw_from else end - timedelta(days=default_days - 1)
    if start > end:
        raise Invalid("from must not be after to.", "INVALID_DATE_RANGE")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid(f"Ask for at most {MAX_RANGE_DAYS} days at a time.", "DATE_RANGE_TOO_LONG")
    return start, end


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def parse_iso(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def sortable_stamp(instant: datetime) -> str:
    """A compact UTC timestamp that sorts as text in time order (used inside sort keys)."""
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y%m%dT%H%M%S") + f"{utc.microsecond // 1000:03d}Z"
