from .accounts import User
from .api import APIAccess, APIToken, IdempotencyKey, Webhook, WebhookDelivery
from .assets import IPAsset
from .audit import AuditLog
from .companies import Company, CompanyInvitation, GreenArea, SizeClass
from .ipaudit import (
    Answer,
    AuditRound,
    Evidence,
    IPAudit,
    QuestionnaireVersion,
)
from .outbox import OutboxMessage

__all__ = [
    "APIAccess",
    "APIToken",
    "IdempotencyKey",
    "Answer",
    "AuditRound",
    "Evidence",
    "IPAsset",
    "IPAudit",
    "QuestionnaireVersion",
    "AuditLog",
    "Company",
    "CompanyInvitation",
    "GreenArea",
    "OutboxMessage",
    "SizeClass",
    "User",
    "Webhook",
    "WebhookDelivery",
]
