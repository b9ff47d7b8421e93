"""Expert (mentor) profiles and their assignments to participating SMEs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension
from clinic.models.companies import GreenArea


class ExpertiseLevel(models.IntegerChoices):
    NONE = 0, _("None")
    BASIC = 1, _("Working knowledge")
    GOOD = 2, _("Experienced")
    EXPERT = 3, _("Specialist")


MAX_EXPERTISE = ExpertiseLevel.EXPERT


class ExpertProfile(models.Model):
    """What an expert knows and how many companies they can take per cohort.

    ``expertise`` maps a dimension number (as text) to an ``ExpertiseLevel``; missing means none.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profile",
        verbose_name=_("expert"),
    )
    bio = models.TextField(_("short biography"), blank=True)
    expertise = models.JSONField(_("expertise per dimension"), default=dict, blank=True)
    tech_areas = models.JSONField(_("technology areas"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    jurisdictions = models.CharField(
        _("jurisdictions"),
        max_length=200,
        blank=True,
        help_text=_("Where you advise, e.g. CN, EP, US, PCT."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (companies per cohort)"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    conflicts = models.ManyToManyField(
        "clinic.Company",
        blank=True,
        related_name="conflicted_experts",
        verbose_name=_("conflicts of interest"),
        help_text=_("Companies you must not mentor (shareholding, family, competing clients …)."),
    )
    conflict_note = models.TextField(_("notes on conflicts"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user__last_name", "user__first_name", "user__username"]

    def __str__(self):
        return str(self.user)

    def level(self, dimension):
        return int(self.expertise.get(str(int(dimension)), 0) or 0)

    def expertise_items(self):
        """(Dimension, level label) for every dimension the expert knows, strongest first."""
        items = [
            (Dimension(int(key)), int(level))
            for key, level in self.expertise.items()
            if int(level or 0) > 0 and int(key) in Dimension.values
        ]
        items.sort(key=lambda item: (-item[1], item[0]))
        return [(dimension, ExpertiseLevel(level).label, level) for dimension, level in items]

    def tech_area_labels(self):
        labels = dict(GreenArea.choices)
        return [labels.get(area, area) for area in self.tech_areas]

    def language_labels(self):
        labels = dict(settings.LANGUAGES)
        return [labels.get(code, code) for code in self.languages]


class Assignment(models.Model):
    """An expert mentoring one participating SME, as its lead or support expert.

    Ending an assignment keeps the row (``ended_at``) so the history of who mentored whom stays.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead expert")
        SUPPORT = "support", _("Support expert")

    participation = models.ForeignKey(
        "mentoring.Participation",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("participant"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_assignments",
        verbose_name=_("expert"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    score = models.PositiveSmallIntegerField(_("match score"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["participation", "role", "-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_role",
            ),
            models.UniqueConstraint(
                fields=["participation", "expert"],
                condition=models.Q(ended_at__isnull=True),
                name="expert_once_per_participation",
            ),
        ]

    def __str__(self):
        return f"{self.expert} · {self.get_role_display()} · {self.participation}"

    @property
    def active(self):
        return self.ended_at is None
