"""The UN Sustainable Development Goals, numbered 1-17, with their short names in both languages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GOALS = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}

LABEL = pgettext_lazy("SDG number and name", "%(number)s · %(name)s")


def label(number):
    """``"7 · Affordable and clean energy"`` in the active language (a number alone if unknown)."""
    name = GOALS.get(number)
    if name is None:
        return str(number)
    return LABEL % {"number": number, "name": name}


def choices():
    """Form choices: every goal with its number and name, in the active language when shown."""
    return [(number, _LazyLabel(number)) for number in GOALS]


class _LazyLabel:
    """A choice label that is translated when rendered, not when the form class is defined."""

    def __init__(self, number):
        self.number = number

    def __str__(self):
        return label(self.number)
