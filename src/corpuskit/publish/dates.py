"""Publication dates as Chinese news sites write them → ISO 8601.

Portals write ``2022-11-30 10:21:05`` or ``2022/11/30``, newspapers
``2022年11月30日 星期三`` or ``二〇二二年十一月三十日``, forums ``2022-11-30 10:21``;
the published ``date`` field is ISO 8601 with the precision the source gave
(``2022-11``, ``2022-11-30``, ``2022-11-30T10:21``, ``2022-11-30T10:21:05``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "〇零○O一二两三四五六七八九十"

# One pattern per way of writing a date; time and zone are optional and shared.
_TIME = (
    r"(?:\s*T?\s*(?:(?P<ampm>上午|下午|晚上|早上|凌晨|中午)\s*)?"
    r"(?P<hour>\d{1,2})\s*[:：时時点點]\s*(?P<minute>\d{1,2})(?:\s*[:：分]\s*(?P<second>\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = [
    # 2022-11-30, 2022/11/30, 2022.11.30, 2022-1-5 (with optional time)
    re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})(?!\d)" + _TIME),
    # 2022年11月30日, 2022年11月30号 (with optional time); 2022年11月
    re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*[日号號])?" + _TIME),
    # 20221130 (URL-style compact dates), with an optional compact time
    re.compile(r"^(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)"),
    # 2022-11 or 2022/11 (month precision)
    re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})$"),
]
_CN_DATE = re.compile(
    rf"^(?P<year>[{_CN_NUMBER}]{{4}})\s*年\s*(?P<month>[{_CN_NUMBER}]{{1,2}})\s*月(?:\s*(?P<day>[{_CN_NUMBER}]{{1,3}})\s*[日号號])?"
)


def _cn_digits(text: str) -> int:
    """``二〇二二`` → 2022 (digit by digit, as years are written)."""
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _cn_number(text: str) -> int:
    """``三十一`` → 31, ``十一`` → 11, ``九`` → 9 (months and days)."""
    if "十" not in text:
        return _cn_digits(text)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _format(year: int, month: int, day: int | None, hour=None, minute=None, second=None, tz=None) -> str | None:
    try:
        if day is None:
            date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        date(year, month, day)
    except ValueError:
        return None
    if not 1000 <= year <= 2999:
        return None
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if hour is None:
        return text
    try:
        datetime(year, month, day, hour, minute, second or 0)
    except ValueError:
        return text
    text += f"T{hour:02d}:{minute:02d}"
    if second is not None:
        text += f":{second:02d}"
    if tz:
        text += "Z" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}"
    return text


def iso_date(value: str | None) -> str | None:
    """A date as written by a news site → ISO 8601, or None when it is not a date.

    ``2022年11月30日 10:21`` → ``2022-11-30T10:21``; ``二〇二二年十一月三十日`` → ``2022-11-30``.
    Text after the date (a weekday, a source name) is ignored.
    """
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        parts = m.groupdict()
        day = int(parts["day"]) if parts.get("day") else None
        hour = int(parts["hour"]) if parts.get("hour") else None
        if hour is not None and parts.get("ampm") in ("下午", "晚上") and hour < 12:
            hour += 12
        minute = int(parts["minute"]) if parts.get("minute") else None
        second = int(parts["second"]) if parts.get("second") else None
        return _format(int(parts["year"]), int(parts["month"]), day, hour, minute, second, parts.get("tz"))
    m = _CN_DATE.match(text)
    if m:
        try:
            year, month = _cn_digits(m["year"]), _cn_number(m["month"])
            day = _cn_number(m["day"]) if m["day"] else None
        except (KeyError, ValueError):
            return None
        return _format(year, month, day)
    return None
