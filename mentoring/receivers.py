from django.dispatch import receiver

from clinic.signals import audit_submitted
from cohorts.signals import place_confirmed

from .services import participation


@receiver(place_confirmed, dispatch_uid="mentoring.start_participation")
def start_participation(sender, application, actor=None, **kwargs):
    participation.start_participation(application, actor=actor)


@receiver(audit_submitted, dispatch_uid="mentoring.audit_submitted")
def audit_was_submitted(sender, audit, actor=None, **kwargs):
    participation.audit_submitted(audit, actor=actor)
