"""Pages rendered without Django's test instrumentation, for tests that walk hundreds of pages or forms.

Under the test runner, every template rendered sends a signal, and the test client keeps a copy of its context
(response.context, response.templates): some 15 % of a page's time here, and most of it for a form whose widgets
each render templates. The URL walks, the permission matrices and the fuzzers read only a response's status and
body, so they render as production does (`Template._render` as it was before the test environment was set up).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def unrecorded_templates() -> Iterator[None]:
    from django.template.base import Template
    from django.test.utils import _TestState

    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


class UnrecordedTemplates:
    """A TestCase mixin, first among its bases: its tests' responses carry no `context` or `templates` (see above)."""

    @classmethod
    def setUpClass(cls):
        cls.enterClassContext(unrecorded_templates())
        super().setUpClass()
