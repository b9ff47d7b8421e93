"""What the IP audit pages share: the audit in the user's scope, score cells, question rows
and answer labels."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..dimensions import Dimension, traffic_light
from ..models.ipaudit import localized
from ..services import ipaudit_answers

YES_NO_LABELS = {
    "yes": gettext_lazy("Yes"),
    "partly": gettext_lazy("Partly"),
    "no": gettext_lazy("No"),
    ipaudit_answers.NOT_SURE: gettext_lazy("Not sure"),
}


QUESTION_TYPE_LABELS = {
    "yes_no": gettext_lazy("yes / partly / no / not sure"),
    "maturity": gettext_lazy("maturity 0–4"),
    "number": gettext_lazy("number"),
    "text": gettext_lazy("short text"),
}


def yes_no_choices():
    return list(YES_NO_LABELS.items())


def visible_audit(request, pk):
    queryset = permissions.visible_audits(request.user).select_related("company", "version")
    return get_object_or_404(queryset, pk=pk)


def score_cells(version, scores):
    cells = []
    for section in version.sections:
        entry = (scores or {}).get(str(section["dimension"]), {})
        score = entry.get("score")
        cells.append(
            {
                "dimension": section["dimension"],
                "label": Dimension(section["dimension"]).label,
                "score": score,
                "light": traffic_light(score),
                "scored": entry.get("scored", 0),
                "not_sure": entry.get("not_sure", 0),
                "scorable": entry.get("scorable", 0),
                "percent": round(100 * score / 4) if score is not None else 0,
            }
        )
    return cells


def question_rows(version, dimension, answers, notes, language):
    rows = []
    for question in version.section(dimension)["questions"]:
        levels = [
            {"value": str(index), "text": localized(level, language)}
            for index, level in enumerate(question.get("levels") or [])
        ]
        rows.append(
            {
                "key": question["key"],
                "type": question["type"],
                "type_label": QUESTION_TYPE_LABELS.get(question["type"], question["type"]),
                "required": question["required"],
                "text": localized(question["text"], language),
                "help": localized(question.get("help") or {}, language),
                "levels": levels,
                "value": answers.get(question["key"], ""),
                "note": notes.get(question["key"], ""),
            }
        )
    return rows


def display_value(row):
    value = row["value"]
    if not value:
        return ""
    if row["type"] == "yes_no":
        return YES_NO_LABELS.get(value, value)
    if row["type"] == "maturity":
        if value == ipaudit_answers.NOT_SURE:
            return _("Not sure")
        level = int(value)
        text = row["levels"][level]["text"] if level < len(row["levels"]) else ""
        return f"{level} – {text}"
    return value
