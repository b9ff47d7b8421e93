"""The rubric, reviews, scores and conflicts of interest."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .cohorts import BilingualName, Cohort


class RubricCriterion(BilingualName):
    """One criterion of a cohort's rubric: a weight and a written anchor for each score 1-5."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    anchor_1 = models.CharField(_("anchor for 1"), max_length=300)
    anchor_2 = models.CharField(_("anchor for 2"), max_length=300)
    anchor_3 = models.CharField(_("anchor for 3"), max_length=300)
    anchor_4 = models.CharField(_("anchor for 4"), max_length=300)
    anchor_5 = models.CharField(_("anchor for 5"), max_length=300)
    anchor_1_zh = models.CharField(_("Chinese anchor for 1"), max_length=300, blank=True)
    anchor_2_zh = models.CharField(_("Chinese anchor for 2"), max_length=300, blank=True)
    anchor_3_zh = models.CharField(_("Chinese anchor for 3"), max_length=300, blank=True)
    anchor_4_zh = models.CharField(_("Chinese anchor for 4"), max_length=300, blank=True)
    anchor_5_zh = models.CharField(_("Chinese anchor for 5"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["cohort", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "key"], name="criterion_key_per_cohort")
        ]

    @property
    def anchors(self):
        return [(level, getattr(self, f"anchor_{level}")) for level in range(1, 6)]

    @property
    def both_anchors(self):
        return [(level, text, getattr(self, f"anchor_{level}_zh")) for level, text in self.anchors]

    def localized_anchors(self, language):
        """(level, text) in ``language``, falling back to the English anchor."""
        if not language.startswith("zh"):
            return self.anchors
        return [
            (level, getattr(self, f"anchor_{level}_zh") or text) for level, text in self.anchors
        ]


class Review(models.Model):
    """One reviewer's assignment to one application and, once given, their scores."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DRAFT = "draft", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        CONFLICTED = "conflicted", _("Conflict declared")
        REMOVED = "removed", _("Unassigned")

    OPEN_STATES = (State.ASSIGNED, State.DRAFT)
    ACTIVE_STATES = (State.ASSIGNED, State.DRAFT, State.SUBMITTED)
    # a review counts (its scores rank the application) once submitted without abstaining
    COUNTING = {"state": State.SUBMITTED, "abstained": False}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.ASSIGNED, db_index=True
    )
    abstained = models.BooleanField(_("abstain from this application"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} – {self.application}"

    @property
    def counts(self):
        """A submitted, non-abstained, non-conflicted review counts in the scores (``COUNTING``
        as a filter)."""
        return self.state == self.COUNTING["state"] and self.abstained == self.COUNTING["abstained"]


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Conflict(models.Model):
    """A reviewer's declared conflict of interest with a company."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    company = models.ForeignKey(
        "clinic.Company", on_delete=models.CASCADE, related_name="reviewer_conflicts"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="conflicts"
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("replacement handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "company"], name="conflict_once")
        ]

    def __str__(self):
        return f"{self.reviewer} ≠ {self.company}"


class RankingVersion(models.Model):
    """A fresh token each time anything a cohort's ranking depends on changes (reviews, scores,
    applications, their companies): cached rankings are keyed by it (services.ranking)."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("ranking version")
        verbose_name_plural = _("ranking versions")

    def __str__(self):
        return f"{self.cohort_id}: {self.token}"


class ReviewSummary(models.Model):
    """An application's reviews aggregated for the ranking (services.summaries): renewed by the
    review services inside their transaction; a review saved any other way drops it, and the
    next read computes it again."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="review_summary"
    )
    assigned = models.PositiveIntegerField(default=0)  # active reviews (assigned, draft, submitted)
    abstentions = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)  # submitted, not abstained, every criterion
    medians = models.JSONField(default=dict)  # criterion id (text) -> median
    score = models.FloatField(null=True)  # sum(weight x median) / 5, rounded to 2 places
    ip_relevance = models.FloatField(null=True)
    spread = models.FloatField(null=True)
    disagreement = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("review summary")
        verbose_name_plural = _("review summaries")

    def __str__(self):
        return f"{self.application_id}: {self.score}"


class ReviewGap(models.Model):
    """How far a submitted review's mean score is from the median of the other reviewers' means
    on the same application (points on the 1-5 scale): the dashboard's reviewer agreement.
    Written with the application's ReviewSummary."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, primary_key=True, related_name="agreement_gap"
    )
    gap = models.FloatField()

    class Meta:
        verbose_name = _("review agreement gap")
        verbose_name_plural = _("review agreement gaps")

    def __str__(self):
        return f"{self.review_id}: {self.gap}"
