import datetime
import xml.etree.ElementTree as ET

from django.test import SimpleTestCase

from kontum_posts.charts import Series, _nice_max, line_chart, rollout_chart
from personnel.selectors import RolloutPoint

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
        self.assertIn("04/2019", texts)

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
