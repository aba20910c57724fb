import unicodedata

from django.test import SimpleTestCase

from kontum_posts.lib.vntext import (
    fold,
    normalize_name,
    person_sort_key,
    place_sort_key,
)


class FoldTests(SimpleTestCase):
    def test_it_drops_tones_and_vowel_marks(self):
        self.assertEqual(fold("Nguyễn Thị Ánh Tuyết"), "nguyen thi anh tuyet")

    def test_it_maps_d_with_stroke_which_unicode_does_not_decompose(self):
        self.assertEqual(fold("Đắk Glei"), "dak glei")
        self.assertEqual(fold("đường"), "duong")

    def test_it_treats_nfd_input_like_nfc(self):
        self.assertEqual(fold(unicodedata.normalize("NFD", "Tu Mơ Rông")), "tu mo rong")

    def test_it_drops_apostrophes_and_extra_spaces(self):
        self.assertEqual(fold("  Ia  H'Drai "), "ia hdrai")


class NormalizeNameTests(SimpleTestCase):
    def test_it_stores_nfc_with_single_spaces(self):
        self.assertEqual(normalize_name(unicodedata.normalize("NFD", " Lê   Văn  Ân ")), "Lê Văn Ân")


class SortKeyTests(SimpleTestCase):
    def test_people_sort_by_given_name_first(self):
        names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị Bình"]
        self.assertEqual(sorted(names, key=person_sort_key), ["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Bình"])

    def test_letters_follow_the_vietnamese_alphabet(self):
        names = ["Lê Ân", "Lê Dung", "Lê Đức", "Lê Anh", "Lê Ăn", "Lê Bình"]
        self.assertEqual(sorted(names, key=person_sort_key), ["Lê Anh", "Lê Ăn", "Lê Ân", "Lê Bình", "Lê Dung", "Lê Đức"])

    def test_tones_decide_only_between_otherwise_equal_names(self):
        self.assertLess(person_sort_key("A Ma"), person_sort_key("A Mà"))
        self.assertLess(person_sort_key("A Mạ"), person_sort_key("A Mai"))

    def test_keys_are_digits_so_both_databases_order_them_alike(self):
        self.assertTrue(person_sort_key("Nguyễn Văn Đức").isdigit())
        self.assertTrue(place_sort_key("Ia H'Drai").isdigit())


class FoldControlCharacterTests(SimpleTestCase):
    def test_control_characters_never_reach_a_query(self):
        self.assertEqual(fold("ng\x00uyen\x07"), "nguyen")
