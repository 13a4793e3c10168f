import tempfile
import unittest
from pathlib import Path

from module_graph import problems


def crate(files):
    root = Path(tempfile.mkdtemp()) / "src"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


class ModuleGraph(unittest.TestCase):
    def test_a_layered_crate_passes_and_re_exports_are_followed(self):
        src = crate({
            "lib.rs": "mod model;\nmod sample;\npub use model::Density;\n",
            "model/mod.rs": "mod density;\npub use density::Density;\n",
            "model/density.rs": "pub struct Density;\n",
            "sample/mod.rs": "use crate::model::Density;\n// crate::plot::Figure in a comment\n",
        })
        found, files, arrows = problems(src)
        self.assertEqual(found, [])
        self.assertEqual(files, 4)
        # Only sample/mod.rs -> model/density.rs, through the re-export; re-exports are not arrows.
        self.assertEqual(arrows, 1)

    def test_a_circle_is_named_with_the_items_that_tie_it(self):
        src = crate({
            "lib.rs": "mod sample;\n",
            "sample/mod.rs": "mod a;\nmod b;\n",
            "sample/a.rs": "use super::b::Walker;\npub struct Trajectory;\n",
            "sample/b.rs": "pub struct Walker(crate::sample::a::Trajectory);\n",
        })
        found, _, _ = problems(src)
        self.assertTrue(found[0].startswith("circle of 2 files"))
        self.assertIn("  sample/a.rs -> sample/b.rs: Walker", found)
        self.assertIn("  sample/b.rs -> sample/a.rs: Trajectory", found)

    def test_an_arrow_from_a_lower_layer_to_a_higher_one_is_named(self):
        src = crate({
            "lib.rs": "mod model;\nmod plot;\n",
            "model.rs": "use crate::plot::{Figure, axes::{self, Tick as T}};\n",
            "plot/mod.rs": "pub mod axes;\npub struct Figure;\n",
            "plot/axes.rs": "pub struct Tick;\n",
        })
        found, _, _ = problems(src)
        self.assertIn("arrow back up: model.rs (model) -> plot/mod.rs (plot): Figure", found)
        self.assertIn("arrow back up: model.rs (model) -> plot/axes.rs (plot): Tick, axes", found)

    def test_test_modules_do_not_count(self):
        src = crate({
            "lib.rs": "mod model;\nmod plot;\n",
            "model.rs": "#[cfg(test)]\nmod tests {\n    use crate::plot::Figure;\n}\n",
            "plot.rs": "pub struct Figure;\n",
        })
        self.assertEqual(problems(src)[0], [])


if __name__ == "__main__":
    unittest.main()
