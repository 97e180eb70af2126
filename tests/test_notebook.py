"""examples/quickstart.ipynb runs, top to bottom, in a fresh kernel: the
example never rots. Its outputs are checked for what a reader should see."""
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = pathlib.Path(__file__).resolve().parent.parent / "examples" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    cwd = tmp_path_factory.mktemp("notebook")
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                            allow_errors=False).execute()
    return nb


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_the_notebook_runs_without_errors(executed):
    assert not [o for o in _outputs(executed) if o.output_type == "error"]


def test_the_reader_sees_the_summary_the_table_the_plot_and_the_highlighted_bulletin(executed):
    html = [o["data"]["text/html"] for o in _outputs(executed) if "text/html" in o.get("data", {})]
    assert any('class="tb-result"' in h and "documents" in h for h in html)          # Result summary
    assert any('class="tb-doc"' in h and 'class="tb-k tb-metric"' in h for h in html)  # highlighted bulletin
    assert any("河南省" in h and "410000" in h for h in html)                          # the metrics table
    assert any("image/png" in o.get("data", {}) for o in _outputs(executed))         # the plot
    last = executed.cells[-1].outputs[-1]
    assert last["data"]["text/plain"] == "True"    # Dask's tables equal extract's
