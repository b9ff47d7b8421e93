"""IP audit answers: cleaning a typed value, completion per section and the scores.

Scoring method (``compute_scores``), shown on the audit page too:
- a maturity question counts its level as is (0 absent ... 4 strategic);
- a yes / partly / no question is put on the same scale: yes = 4, partly = 2, no = 0;
- "not sure" answers are counted apart and left out of the score;
- number and text questions are not scored;
- a dimension's self-assessed maturity is the mean of its scored answers (two decimals), or none
  when it has no scored answer.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..dimensions import MAX_MATURITY, Dimension
from ..transitions import Refused

NOT_SURE = "not_sure"
YES_NO_CHOICES = ("yes", "partly", "no", NOT_SURE)
YES_NO_POINTS = {"yes": 4, "partly": 2, "no": 0}
MATURITY_CHOICES = tuple(str(level) for level in range(MAX_MATURITY + 1)) + (NOT_SURE,)
TEXT_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000


def clean_value(question, raw):
    """The stored form of an answer to ``question``, or Refused. An empty answer clears it."""
    value = (raw or "").strip()
    if not value:
        return ""
    question_type = question["type"]
    if question_type == "yes_no" and value not in YES_NO_CHOICES:
        raise Refused("invalid", _("Choose yes, partly, no or not sure."))
    if question_type == "maturity" and value not in MATURITY_CHOICES:
        raise Refused("invalid", _("Choose a level from 0 to 4 or not sure."))
    if question_type == "number":
        try:
            number = Decimal(value.replace(",", "").replace(" ", ""))
        except InvalidOperation as error:
            raise Refused("invalid", _("Enter a number.")) from error
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise Refused("invalid", _("Enter a number."))
        return format(number.normalize(), "f")
    if question_type == "text" and len(value) > TEXT_MAX_LENGTH:
        message = _("Keep the answer under %(limit)d characters.")
        raise Refused("invalid", message % {"limit": TEXT_MAX_LENGTH})
    return value


def answer_points(question, value):
    """A scored answer's level 0-4; None for not sure, unanswered or unscored questions."""
    if question["type"] == "maturity" and value in MATURITY_CHOICES and value != NOT_SURE:
        return int(value)
    if question["type"] == "yes_no":
        return YES_NO_POINTS.get(value)
    return None


def compute_scores(version, answers):
    """Self-assessed maturity per dimension from ``answers`` ({question key: value}).

    Returns {"1": {"score": 2.5 or None, "scored": n, "not_sure": n, "scorable": n}, ...}
    for every section; see the module docstring for the method.
    """
    scores = {}
    for section in version.sections:
        points, not_sure, scorable = [], 0, 0
        for question in section["questions"]:
            if question["type"] not in ("maturity", "yes_no"):
                continue
            scorable += 1
            value = answers.get(question["key"], "")
            if value == NOT_SURE:
                not_sure += 1
            level = answer_points(question, value)
            if level is not None:
                points.append(level)
        score = round(sum(points) / len(points), 2) if points else None
        scores[str(section["dimension"])] = {
            "score": score,
            "scored": len(points),
            "not_sure": not_sure,
            "scorable": scorable,
        }
    return scores


def answer_values(audit_obj):
    return dict(audit_obj.answers.values_list("question_key", "value"))


@dataclass
class SectionProgress:
    dimension: int
    answered: int
    total: int
    required_missing: list

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self):
        return not self.required_missing

    @property
    def label(self):
        return Dimension(self.dimension).label


def progress(version, answers):
    """How complete each section is: answered questions and the required ones still missing."""
    result = []
    for section in version.sections:
        questions = section["questions"]
        answered = [q for q in questions if answers.get(q["key"], "")]
        missing = [
            {**q, "dimension": section["dimension"]}
            for q in questions
            if q["required"] and not answers.get(q["key"], "")
        ]
        result.append(SectionProgress(section["dimension"], len(answered), len(questions), missing))
    return result


def missing_required(version, answers):
    return [question for item in progress(version, answers) for question in item.required_missing]
