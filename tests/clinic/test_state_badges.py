"""State badges come from one tag fed by the colour map beside each table (``Badges``): every
state of every table shows its label in its colour, and no template picks a badge's colour by
comparing states."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from clinic.models import IPAsset
from clinic.transitions import BADGES, MACHINES
from cohorts.models import Application

BADGE = Template("{% load clinic_tags %}{% state_badge obj %}")


def badge(obj):
    with translation.override("en"):
        return BADGE.render(Context({"obj": obj}))


@pytest.mark.parametrize("model", sorted(MACHINES, key=lambda m: m._meta.label), ids=str)
def test_every_state_of_every_table_has_its_badge(model):
    machine = MACHINES[model]
    labels = dict(model._meta.get_field(machine.state_field).choices)
    for state in machine.states():
        html = badge(model(**{machine.state_field: state}))
        colour = machine.badges.colour(state)
        assert f"state-{state} text-bg-{colour}" in html
        with translation.override("en"):
            assert str(labels[state]) in html


def test_the_maps_tell_states_apart_and_serve_fields_without_a_table():
    confirmed = badge(Application(state="confirmed"))
    assert "text-bg-success" in confirmed and ">Confirmed</span>" in confirmed
    assert "text-bg-warning" in badge(Application(state="needs_info"))
    assert "text-bg-light border" in badge(Application(state="draft"))
    assert "text-bg-dark" in badge(IPAsset(status="lapsed"))
    assert (IPAsset, "status") in BADGES


def test_a_map_naming_a_state_the_model_does_not_have_is_refused():
    from clinic.transitions import Badges

    with pytest.raises(ValueError, match="signed"):
        Badges(Application, "state", colours={"success": ("signed",)})


def test_no_template_picks_a_badge_colour_by_comparing_states():
    compared = re.compile(r'class="badge[^"]*\{% if [\w.]+\.(state|status) ==')
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR).glob("**/templates/**/*.html")
        if ".venv" not in path.parts and compared.search(path.read_text())
    ]
    assert offenders == []
