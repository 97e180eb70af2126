"""Writes examples/quickstart.ipynb (without outputs) from the cells below: edit
here, run this, commit both; tests/test_notebook.py executes the notebook."""
import pathlib

import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

cells = [
    new_markdown_cell("""# tongbao quickstart

From a folder of Chinese government COVID-19 bulletins to tables: the metrics
table (one row per figure a bulletin states), a plot of a series, the
highlighted view of one bulletin, the pandas accessor and the same extraction
on Dask.

The corpus is the sample shipped in the package: a dozen bulletins written
for the project (invented figures), in UTF-8, GB18030, traditional script and
HTML."""),
    new_code_cell("""%matplotlib inline
from importlib import resources

import pandas as pd
import tongbao
import tongbao.plot

corpus = resources.files("tongbao._data") / "corpus"
result = tongbao.extract(str(corpus), progress=False)
result            # documents, rows per table, errors"""),
    new_markdown_cell("""## The documents

One row per file, read or not: its encoding, its own date (and where it came
from), how many rows it gave, and its error if it could not be read."""),
    new_code_cell("""docs = result.documents.assign(file=result.documents.doc_id.str.rsplit("/", n=1).str[-1])
docs[["file", "encoding", "ref_date", "ref_source", "n_metrics", "n_quantities", "error"]]"""),
    new_markdown_cell("""## The metrics table

Which metric, scope and origin, for which region (with its division code), as
of which date, the value, and the evidence it was read from."""),
    new_code_cell("""m = result.metrics
new_local = m[(m.metric == "confirmed") & (m.scope == "new") & (m.origin == "local")]
new_local[["region", "code", "date", "value", "text"]].head(15)"""),
    new_code_cell("""# the province's new local cases, day by day
(new_local[new_local.code == "410000"]
 .drop_duplicates(["date", "value"])
 .sort_values("date")[["date", "value"]])"""),
    new_markdown_cell("## A plot of the series: a line per region"),
    new_code_cell("""ax = tongbao.plot.metrics(result, metric="confirmed", scope="new", origin="local", top=6)
ax.figure.set_size_inches(9, 4)
[line.get_label() for line in ax.get_lines()]"""),
    new_markdown_cell("""## One bulletin, highlighted

Metric evidence, quantities, dates, places, persons and organisations, one
colour each; hover over a highlight for its details (value and unit, the
resolved date, the division code, the metric row it feeds)."""),
    new_code_cell("""doc = tongbao.analyze((corpus / "2022-05-09_zhengzhou.txt").read_bytes())
doc"""),
    new_markdown_cell("""## The pandas accessor

A column of texts in a DataFrame (as read from a CSV file) gives its tables
directly; `doc_id` is the index, and complete dates have a real `datetime`
column beside the ISO value."""),
    new_code_cell("""df = pd.DataFrame({"text": ["8月3日0—24时，全省新增本土确诊病例35例（商丘市民权县35例）。",
                            "6月12日0—24时，全省新增本土确诊病例5例（周口市川汇区3例，南阳市宛城区2例）。"],
                   "published": ["2022-08-04", "2022-06-13"]})
df.text.tongbao.metrics(ref_date=df.published)[["doc_id", "region", "code", "date", "datetime", "value"]]"""),
    new_markdown_cell("""## The same extraction on Dask

`tongbao.dask.extract` splits the files into partitions; the tables are Dask
DataFrames with the same columns and dtypes. Here Dask's local threads do the
work; with `dask.distributed.Client("tcp://scheduler:8786")` a cluster
does, the code unchanged."""),
    new_code_cell("""import tongbao.dask

lazy = tongbao.dask.extract(str(corpus), files_per_partition=4)
print(lazy)
lazy.compute().metrics.equals(result.metrics)"""),
]
nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"}})
nbformat.write(nb, str(pathlib.Path(__file__).resolve().parent.parent / "examples" / "quickstart.ipynb"))
