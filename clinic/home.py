"""What the home page shows beside My tasks, registered by each stage (the core names none).

A provider is ``provider(user) -> list[Panel]`` and runs a fixed number of queries whatever the
number of rows; panels are shown in the order of their ``order``.
"""

from dataclasses import dataclass, field

_PROVIDERS = []


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def register(provider):
    _PROVIDERS.append(provider)
    return provider


def panels_for(user):
    panels = []
    for provider in _PROVIDERS:
        panels.extend(provider(user))
    return sorted(panels, key=lambda panel: panel.order)
