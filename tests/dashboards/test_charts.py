import datetime
import itertools
import xml.etree.ElementTree as ET

from django.test import SimpleTestCase

from dashboards.charts import Series, _nice_max, line_chart, rollout_chart
from personnel.coverage import RolloutPoint

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


class LineChartTests(SimpleTestCase):
    def test_it_draws_one_point_per_day_for_each_series_as_valid_svg(self):
        points = [RolloutPoint(D(2019, 1, 31), 10, 40), RolloutPoint(D(2019, 2, 28), 30, 120), RolloutPoint(D(2019, 4, 23), 86, 349)]
        svg = rollout_chart(points, as_of=D(2019, 4, 23), communes_label="Xã", officers_label="Cán bộ", marker_label="23/04/2019")
        root = ET.fromstring(str(svg))
        self.assertEqual(len(root.findall(f"{SVG}circle")), 6)
        self.assertEqual(len(root.findall(f"{SVG}polyline")), 2)
        texts = [t.text for t in root.iter(f"{SVG}text")]
        self.assertIn("23/04/2019", texts)
        self.assertIn("02/2019", texts)

    def test_labels_are_escaped(self):
        svg = line_chart(days=[D(2019, 1, 1), D(2019, 2, 1)], left=Series("<script>x</script>", [1, 2], "#000"),
                         title='"><img src=x>')
        self.assertNotIn("<script>", svg)
        self.assertNotIn("<img", svg)
        ET.fromstring(str(svg))

    def test_axis_maxima_are_round(self):
        self.assertEqual([_nice_max(v) for v in (0, 7, 86, 349, 1200)], [10, 10, 100, 500, 2000])

    def test_a_single_day_still_draws(self):
        svg = line_chart(days=[D(2019, 1, 1)], left=Series("a", [0], "#000"))
        self.assertEqual(len(ET.fromstring(str(svg)).findall(f"{SVG}circle")), 1)


class LongRangeTests(SimpleTestCase):
    def test_month_labels_on_a_long_range_do_not_overlap(self):
        days, day = [], D(2018, 10, 31)
        while day < D(2026, 11, 28):
            days.append(day)
            first_of_next = day + datetime.timedelta(days=1)
            day = (first_of_next + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        days.append(D(2026, 11, 28))
        svg = line_chart(days=days, left=Series("a", list(range(len(days))), "#000"), width=420)
        labels = [t for t in ET.fromstring(str(svg)).iter(f"{SVG}text") if t.get("y") == t.get("y") and "/" in (t.text or "")]
        xs = sorted(float(t.get("x")) for t in labels)
        self.assertGreaterEqual(len(xs), 3)
        self.assertTrue(all(b - a >= 50 for a, b in itertools.pairwise(xs)), xs)
        self.assertEqual(labels[-1].text, "11/2026")

    def test_left_axis_ticks_are_even(self):
        svg = line_chart(days=[D(2019, 1, 31), D(2019, 2, 28)], left=Series("a", [1, 9], "#000"))
        ticks = [t.text for t in ET.fromstring(str(svg)).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
        self.assertEqual(ticks, ["0", "2", "4", "6", "8", "10"])
