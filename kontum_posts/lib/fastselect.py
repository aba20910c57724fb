"""A <select> whose options are written in Python (issue 16).

Django renders every <option> through two templates (select_option.html and attrs.html): a list's filter
form offers a province's communes, units and ethnicities, hundreds of options, and spent more time on them
than the list on its rows, and a /manage/ form its officer and commune pick lists. FastSelect writes the same HTML
as Django's templates, from the same context, without the blank lines they leave between the tags
(tests/kontum_posts/test_fastselect.py compares them, hostile labels included).
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: ` name="value"`, a True value as ` name`, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True
                     else f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                out.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                           f'{conditional_escape(option["label"])}</option>')
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 — every value escaped above
