"""CSV ingest with pandas, as a user would: read_csv, then each column's type and distinct count (the same
work as `topdown columns`). Usage: /usr/bin/python3 ingest.py CSV"""
import json
import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1])
columns = [{"name": name, "type": str(frame[name].dtype), "distinct": int(frame[name].nunique())} for name in frame]
print(json.dumps({"rows": len(frame), "columns": len(columns), "samples": len(frame)}))
