"""How amounts of money are written: the same on pages in both languages, in PDFs and e-mails."""

from decimal import Decimal


def money(amount, currency=""):
    """Whole units with a comma every three digits, after the currency code: "CNY 22,000,000"
    (Django's Chinese locale groups no digits, so ``floatformat:"0g"`` and ``number_format``
    would write 22000000 on Chinese pages). "" for no amount."""
    if amount is None or amount == "":
        return ""
    number = f"{Decimal(amount):,.0f}"
    return f"{currency} {number}" if currency else number
