"""Goals and outcomes: targets per KPI (streefwaarden), outcome reports from aanbieders and the
Wmo cliëntervaringsonderzoek, each a CSV layout (layout.py) loaded into raw (load.py)."""
