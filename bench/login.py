"""Login sizing: the CPU one password check costs (Django's PBKDF2-SHA256), per core.

Every login (and every password change or reset) runs one check of PASSWORD_HASHERS[0]; it is
deliberately slow and single-threaded, so it is what sizes the web tier at a login peak: one core
serves about 1 / (seconds per check) logins a second, whatever else the request does.

Run: .venv/bin/python bench/login.py [checks]   (default 10; run it on the production machine)
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")


def main(checks):
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher("default")
    encoded = make_password("correct horse battery staple")
    timings = []
    for _ in range(checks):
        started = time.perf_counter()
        assert check_password("correct horse battery staple", encoded)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"hasher: {hasher.algorithm}, iterations {getattr(hasher, 'iterations', '-')}")
    print(f"one password check: median {median * 1000:.0f} ms, best {min(timings) * 1000:.0f} ms")
    print(f"logins a second per core: {1 / median:.1f}; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
