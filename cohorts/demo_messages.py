"""Demo: one message an officer sent to the open cohort's submitted applications."""

import uuid

from .models import Application, BulkMessage
from .services.messages import send_bulk_message

TOKEN = uuid.UUID("6f1d2c7e-7a43-4d1e-9a51-0c1b5d2e8a01")  # the same message on every run


def seed_messages(demo):
    message = BulkMessage(
        token=TOKEN,
        audience=BulkMessage.Audience.APPLICANTS,
        states=[Application.State.SUBMITTED],
        subject="Your application is in: screening starts next week",
        subject_zh="已收到您的申请：资格审查将于下周开始",
        body=(
            "Thank you for applying. We check every application against the eligibility rules "
            "next week; if anything is missing we will ask you on the application page."
        ),
        body_zh=(
            "感谢您的申请。我们将于下周按资格规则审查每一份申请；如有缺漏，我们会在申请页面上向您"
            "提出。"
        ),
    )
    sent, new = send_bulk_message(demo["users"]["officer"], demo["cohort_open"], message)
    demo["log"](f"Messages: {sent.recipient_count} recipients{'' if new else ' (kept)'}")
