"""Private files (evidence, pitch decks, plan PDFs): stored under a random name whose extension
comes from the detected type, and served by one helper after the view's permission check.

Only PDFs and images are shown inline, in a sandbox (no scripts, no requests of their own);
everything else is an attachment. A stored file that is gone, or no longer matches the checksum
recorded when it was made, raises ``FileMissing`` so the view can show a clear page.
"""

import hashlib
import io
import uuid

import filetype
from django.http import FileResponse
from django.shortcuts import render

INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")
SANDBOX = "default-src 'none'; sandbox"


class FileMissing(Exception):
    """The stored file is gone (or differs from its checksum)."""


def extension_for(content_type):
    """The file extension of a detected content type ("bin" when unknown)."""
    kind = filetype.get_type(mime=content_type)
    return kind.extension if kind is not None else "bin"


def stored_name(folder, content_type):
    """A random private name in ``folder``, named by the detected type (never the uploader's)."""
    return f"{folder}/{uuid.uuid4().hex}.{extension_for(content_type)}"


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def stored_bytes(field, checksum=""):
    """The content of a stored file; FileMissing if it is gone or differs from ``checksum``."""
    if not field or not field.storage.exists(field.name):
        raise FileMissing(field.name)
    with field.storage.open(field.name, "rb") as handle:
        content = handle.read()
    if checksum and sha256(content) != checksum:
        raise FileMissing(field.name)
    return content


def is_intact(field, checksum=""):
    """Whether the stored file exists (and matches ``checksum`` when one is given)."""
    try:
        stored_bytes(field, checksum)
    except FileMissing:
        return False
    return True


def serve_private(field, *, filename, content_type, checksum="", download=False):
    """The response for a private stored file (call it after the permission check).

    PDFs and images are inline unless ``download``; any other type is an attachment. Every
    response carries ``nosniff`` and a sandboxing Content-Security-Policy.
    Raises FileMissing when the file is gone or differs from ``checksum``.
    """
    content = stored_bytes(field, checksum)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=download or content_type not in INLINE_TYPES,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response


def missing_file_page(request, message):
    """The page shown instead of a lost file (404, never a server error)."""
    return render(request, "file_missing.html", {"message": message}, status=404)
