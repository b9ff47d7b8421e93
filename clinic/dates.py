"""Calendar arithmetic every stage shares."""

import calendar
from datetime import date


def add_months(start, months):
    """``start`` plus ``months`` calendar months (the last day of a shorter month)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
