"""`sdw dashboard`: stuurinformatie as plots, read from the marts readers see (sdw.serving): the
last published build on DuckDB, the server on PostgreSQL.

Dash serves its JavaScript, plotly.js included, from the installed Python packages
(`serve_locally`), so the page works without internet.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from sdw.dashboard.layout import build
from sdw.serving import source

# Dutch month names and number format for plotly.js (registered before the first graph draws).
LOCALE_NL = """
<script>
(function () {
  var nl = {moduleType: 'locale', name: 'nl', dictionary: {}, format: {
    days: ['zondag','maandag','dinsdag','woensdag','donderdag','vrijdag','zaterdag'],
    shortDays: ['zo','ma','di','wo','do','vr','za'],
    months: ['januari','februari','maart','april','mei','juni','juli','augustus','september',
             'oktober','november','december'],
    shortMonths: ['jan','feb','mrt','apr','mei','jun','jul','aug','sep','okt','nov','dec'],
    date: '%d-%m-%Y', decimal: ',', thousands: '.'}};
  (function register() {
    if (window.Plotly) { window.Plotly.register(nl); } else { setTimeout(register, 20); }
  })();
})();
</script>
"""

STYLE = """
<style>
:root { --inkt: #1b2733; --zacht: #5b6b7b; --lijn: #dfe5eb; --blauw: #1d5b8f; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f5f8; color: var(--inkt);
       font-family: Inter, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 0 24px 24px; }
header { display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-end;
         justify-content: space-between; padding: 20px 0 16px; }
h1 { font-size: 22px; margin: 0; }
.selectie { margin: 4px 0 0; color: var(--zacht); }
.menu { display: flex; flex-wrap: wrap; gap: 4px; margin: 10px 0 2px; }
.menu a { color: var(--blauw); text-decoration: none; font-size: 14px; padding: 5px 10px;
          border-radius: 6px; }
.menu a:hover { background: #e6eef6; }
.menu a.actief { background: var(--blauw); color: #fff; }
.voor { color: var(--zacht); margin: 0 0 12px; font-size: 14px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.filter { display: flex; flex-direction: column; gap: 4px; min-width: 140px; }
.filter > span { font-size: 12px; color: var(--zacht); }
.filter:first-child { min-width: 220px; }
.filter .domein { display: flex; gap: 16px; padding: 7px 0; font-size: 14px; }
.filter .domein label { display: inline-flex; gap: 6px; align-items: center; cursor: pointer; }
.raster { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.kaart { background: #fff; border: 1px solid var(--lijn); border-radius: 8px; padding: 14px 16px; }
.kaart.breed { grid-column: 1 / -1; }
.kop { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
h2 { font-size: 16px; margin: 0; }
.niveau { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--blauw);
          background: #e6eef6; border-radius: 10px; padding: 2px 8px; white-space: nowrap; }
.uitleg { color: var(--zacht); font-size: 13px; margin: 4px 0 0; min-height: 1em; }
.definitie { border-top: 1px solid var(--lijn); margin-top: 8px; padding-top: 6px;
             font-size: 13px; }
.definitie summary { cursor: pointer; color: var(--blauw); }
.definitie p, .definitie li { color: var(--zacht); line-height: 1.45; }
footer { color: var(--zacht); font-size: 12px; margin-top: 16px; }
@media (max-width: 900px) { .raster { grid-template-columns: 1fr; } }
</style>
"""

INDEX = f"""<!DOCTYPE html>
<html lang="nl">
<head>{{%metas%}}<title>{{%title%}}</title>{{%favicon%}}{{%css%}}{STYLE}</head>
<body>{{%app_entry%}}<footer>{{%config%}}{{%scripts%}}{LOCALE_NL}{{%renderer%}}</footer></body>
</html>"""


def create_app(warehouse: Path) -> Dash:
    # The pages' cards are rendered per URL, so their callbacks name elements not yet shown.
    app = Dash(
        __name__,
        serve_locally=True,
        title="Stuurinformatie sociaal domein",
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX
    build(app, warehouse)
    return app


def serve(warehouse: Path, host: str = "127.0.0.1", port: int = 8050) -> None:
    print(f"dashboard on http://{host}:{port}/ (reads {source(warehouse)}); Ctrl-C stops")
    create_app(warehouse).run(host=host, port=port, debug=False)
