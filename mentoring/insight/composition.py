"""The selected companies of a cohort against its quota rules, for the dashboard."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from cohorts.models import QuotaRule
from cohorts.transitions import HOLDING
from cohorts.views.proposals import composition

from .charts import Table

# Applications holding a place: the composition the quota rules are measured on.
IN_COHORT = HOLDING


def quota_composition(filters):
    """Each cohort's selected and confirmed companies against its quota rules."""
    cohorts = {c.pk: c for c in filters.cohorts()}
    rules = defaultdict(list)
    for rule in QuotaRule.objects.filter(cohort__in=cohorts):
        rules[rule.cohort_id].append(rule)
    attributes = defaultdict(list)
    for row in (
        filters.applications()
        .filter(state__in=IN_COHORT, cohort__in=list(rules))
        .values("cohort_id", "tech_area", "size_class", "company__region")
        .order_by()
    ):
        attributes[row["cohort_id"]].append(
            {
                "green_area": row["tech_area"],
                "size_class": row["size_class"],
                "region": (row["company__region"] or "").strip().lower(),
            }
        )
    table = Table(
        "composition",
        _("Composition against quotas"),
        [_("Cohort"), _("Rule"), _("Companies"), _("At least"), _("At most"), _("Holds")],
    )
    for cohort_id, cohort_rules in sorted(rules.items(), key=lambda kv: str(cohorts[kv[0]])):
        for line in composition(cohort_rules, attributes[cohort_id]):
            rule = line["rule"]
            table.rows.append(
                [
                    str(cohorts[cohort_id]),
                    rule.label,
                    line["count"],
                    rule.minimum,
                    rule.maximum,
                    line["ok"],
                ]
            )
    return table
