import re

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clinic import formatting, roles
from clinic.transitions import BADGES, MACHINES, machine_of

register = template.Library()


@register.filter
def allows(obj, move):
    """Whether ``obj``'s transition table offers ``move`` from its state: the pages show an
    action only where its move applies (``{% if application|allows:"place_confirmed" %}``)."""
    machine = machine_of(obj)
    return machine.allows(getattr(obj, machine.state_field), move)


@register.filter
def final(obj):
    """Whether ``obj`` is in a state its table leaves no more (a held or cancelled event)."""
    machine = machine_of(obj)
    return getattr(obj, machine.state_field) in machine.final_states()


@register.inclusion_tag("clinic/_state_badge.html")
def state_badge(obj, field="", *, state=None, label=None, classes="", id=""):
    """The one badge of a state: ``{% state_badge application %}``; the colour and icon come
    from the map beside the model's table (``Badges``), the label from the model's choices.
    ``state``/``label`` show another value of the same choices (a proposal entry's outcome)."""
    machine = MACHINES.get(type(obj))
    field = field or (machine.state_field if machine is not None else "status")
    badges = BADGES[(type(obj), field)]
    if state is None:
        state = getattr(obj, field)
        label = getattr(obj, f"get_{field}_display")()
    return {
        "state": state,
        "label": label,
        "colour": badges.colour(state),
        "icon": badges.icons.get(state, ""),
        "classes": classes or badges.classes,
        "id": id,
    }


@register.filter
def role_label(name):
    return roles.ROLE_LABELS.get(name, name)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, number, param=""):
    """The current query string showing page ``number`` (in ``param``, default ``page``)."""
    return query_with(context, **{param or "page": number})


@register.filter
def action_label(action):
    from clinic.models.audit import ACTION_LABELS

    return ACTION_LABELS.get(action, action.replace("_", " "))


@register.simple_tag(takes_context=True)
def sort_query(context, field):
    """A link to sort by ``field``, descending when it is already sorted ascending."""
    current = context["request"].GET.get("order", "")
    order = f"-{field}" if current == field else field
    return query_with(context, order=order, page=1)


@register.simple_tag(takes_context=True)
def sort_arrow(context, field, default=""):
    """The arrow after a sortable column's label when the list is sorted by ``field`` (up:
    ascending, down: descending), with the direction in words for screen readers.
    ``default`` is the order the list has without an ``order`` parameter."""
    current = context["request"].GET.get("order", "") or default
    if current not in (field, f"-{field}"):
        return ""
    descending = current.startswith("-")
    icon = "bi-caret-down-fill" if descending else "bi-caret-up-fill"
    words = _("sorted descending") if descending else _("sorted ascending")
    return format_html(
        '<i class="bi {} ms-1" aria-hidden="true"></i><span class="visually-hidden"> ({})</span>',
        icon,
        words,
    )


LIGHT_WORDS = {
    "red": _lazy("weak (0–1)"),
    "amber": _lazy("basic (2)"),
    "green": _lazy("managed or strategic (3–4)"),
    "grey": _lazy("not scored"),
}


@register.filter
def light_words(light):
    """``{{ cell.light|light_words }}``: what a traffic light says, for those who do not see it."""
    return LIGHT_WORDS.get(light, "")


@register.filter
def place(text):
    """``{{ company.region|place }}``: a typed place name in the reader's language."""
    from clinic.regions import place as named

    return named(text)


@register.filter
def location(detail):
    """``{{ check.detail|location }}``: "CN · Jiangsu" with the country and region named."""
    from clinic.regions import location as named

    return named(detail)


@register.filter
def audit_actor(entry):
    """``{{ entry|audit_actor }}``: the person who acted, by name (clinic.services.audit)."""
    from clinic.services.audit import actor_label

    return actor_label(entry)


@register.filter
def audit_from(entry):
    from clinic.services.audit import state_label

    return state_label(entry, entry.from_state)


@register.filter
def audit_to(entry):
    from clinic.services.audit import state_label

    return state_label(entry, entry.to_state)


@register.filter
def audit_changes(entry):
    """The before -> after lines of an audit record (see clinic.services.audit.describe_changes)."""
    from clinic.services.audit import describe_changes

    return describe_changes(entry)


@register.filter
def money(amount, currency=""):
    """``{{ amount|money:currency }}``: see clinic.formatting.money."""
    return formatting.money(amount, currency)


@register.filter
def pct(value):
    """A percentage as a whole number from 0 to 100, for the ``w-pct-N`` and ``start-pct-N``
    classes of clinic.css (the Content-Security-Policy forbids style attributes)."""
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return 0
    return min(100, max(0, number))


# A space after a full-width (Chinese) stop is a typo: Chinese sentences follow each other directly.
_SPACE_AFTER_CJK_STOP = re.compile(r"([。！？；：，、）」』])((?:\s*<[^>]+>)*)\s+")


def join_sentences(text):
    """``text`` with the spaces removed that follow a Chinese full stop (also across tags), so
    that sentences translated one by one read as one paragraph in Chinese; English is unchanged."""
    return _SPACE_AFTER_CJK_STOP.sub(r"\1\2", text)


class SentencesNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return join_sentences(self.nodelist.render(context))


@register.tag
def sentences(parser, token):
    """``{% sentences %}…{% endsentences %}``: a paragraph made of several translated sentences."""
    nodelist = parser.parse(("endsentences",))
    parser.delete_first_token()
    return SentencesNode(nodelist)
