import subprocess
import sys

from tests.services import ROOT

CHECK = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
django.setup()
import mentoring.pdf
print(any(name.startswith("reportlab") for name in sys.modules))
"""


def test_importing_the_pdf_builder_does_not_load_reportlab():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False")
