"""FastSelect writes the HTML Django's own Select writes through its templates (the blank lines its templates leave
between the tags aside: assertHTMLEqual), labels, values and attributes escaped the same."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase

from kontum_posts.lib.fastselect import FastSelect
from personnel.web.officer_picker import OfficerPickerSelect

HOSTILE = ['<script>alert("x")</script>', "Đắk Glei & \"Kon Plông\"", "' onmouseover='x", "Ngọc Hồi"]
CHOICES = [("", "---------"), *((str(i), label) for i, label in enumerate(HOSTILE, 1)), ("<v>", "value & label")]
GROUPED = [("", "---------"), ("Huyện <Đắk Tô>", [("1", "Xã Tân Cảnh"), ("2", "Xã Pô Kô")]), ("3", "Thị trấn")]


class FastSelectTests(SimpleTestCase):
    def assert_same(self, fast, slow, name, value, attrs=None):
        self.assertHTMLEqual(fast.render(name, value, attrs), slow.render(name, value, attrs))

    def test_it_writes_the_options_labels_values_and_selection_as_django_does(self):
        for value in (None, "", "2", "<v>", "not offered"):
            with self.subTest(value=value):
                self.assert_same(FastSelect(choices=CHOICES), forms.Select(choices=CHOICES), "commune", value,
                                 {"id": "id_commune", "required": True})

    def test_option_groups_and_attributes_true_false_and_escaped(self):
        attrs = {"id": "id_x", "disabled": True, "hidden": False, "data-note": 'a "quoted" <b>'}
        for value in ("1", "3", None):
            with self.subTest(value=value):
                self.assert_same(FastSelect(choices=GROUPED), forms.Select(choices=GROUPED), 'x"y', value, attrs)

    def test_the_officer_picker_keeps_its_attributes(self):
        class DjangoPicker(forms.Select):
            def __init__(self):
                super().__init__(OfficerPickerSelect().attrs, CHOICES)

        self.assert_same(OfficerPickerSelect(choices=CHOICES), DjangoPicker(), "officer", "1", {"id": "id_officer"})
        self.assertIn('data-picker="officer"', OfficerPickerSelect(choices=CHOICES).render("officer", None))

    def test_a_form_field_renders_the_same_through_either_widget(self):
        class Slow(forms.Form):
            commune = forms.ChoiceField(choices=CHOICES)

        class Fast(forms.Form):
            commune = forms.ChoiceField(choices=CHOICES, widget=FastSelect)

        for data in ({"commune": "2"}, {"commune": "oops"}, None):
            with self.subTest(data=data):
                self.assertHTMLEqual(str(Fast(data)["commune"]), str(Slow(data)["commune"]))
