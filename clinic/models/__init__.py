from .accounts import User
from .audit import AuditLog
from .companies import Company, CompanyInvitation, GreenArea, SizeClass
from .outbox import OutboxMessage

__all__ = [
    "AuditLog",
    "Company",
    "CompanyInvitation",
    "GreenArea",
    "OutboxMessage",
    "SizeClass",
    "User",
]
