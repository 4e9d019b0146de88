#!/usr/bin/env python3
"""
The trainer against standard learners on real leads, on exactly the same time split and columns.

Input: the public "Lead Scoring" CRM export of an education company (9,240 leads with a
Converted flag; widely mirrored as Leads.csv). The data is not in this repository: pass its
path. Columns that sales fills in after contacting a lead (Tags, Lead Quality, Lead Profile,
the Asymmetrique indices and scores, Last Notable Activity) are dropped; the rest become
HubSpot-style contact properties. The export has no dates: leads are ordered by Lead Number
(assigned in arrival order), the older 70 % train and the newer 30 % test.

It runs `npm run train` on the older leads (--target-mql-share 0.3), `npm run score` on the newer
ones, and scikit-learn's logistic regression and gradient boosting on the same rows and columns,
then prints AUC for each and, for the trained model, the share of test leads flagged MQL or SQL
and the share of conversions they hold.

Needs Python 3 with pandas and scikit-learn (Debian: apt install python3-pandas python3-sklearn
python3-openpyxl). Usage, from the repository's root:
    python3 scripts/real-data/lead-scoring-benchmark.py path/to/Leads.csv [--keep DIR]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

AFTER_SALES_CONTACT = [
    "Tags",
    "Lead Quality",
    "Lead Profile",
    "Asymmetrique Activity Index",
    "Asymmetrique Profile Index",
    "Asymmetrique Activity Score",
    "Asymmetrique Profile Score",
    "Last Notable Activity",
]
# Columns with a HubSpot property of the same meaning; the others keep their own names.
HUBSPOT_NAMES = {
    "Do Not Email": "hs_email_optout",
    "TotalVisits": "hs_analytics_num_visits",
    "Page Views Per Visit": "hs_analytics_average_page_views",
    "Country": "country",
    "City": "city",
}
NUMERIC = ["TotalVisits", "Total Time Spent on Website", "Page Views Per Visit"]


def property_name(column: str) -> str:
    return HUBSPOT_NAMES.get(column) or re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def read(path: str) -> pd.DataFrame:
    df = pd.read_excel(path) if open(path, "rb").read(2) == b"PK" else pd.read_csv(path)
    df = df.drop(columns=[c for c in AFTER_SALES_CONTACT if c in df.columns])
    return df.sort_values("Lead Number").reset_index(drop=True)


def to_jsonl(df: pd.DataFrame, path: str, start: datetime) -> None:
    features = [c for c in df.columns if c not in ("Prospect ID", "Lead Number", "Converted")]
    with open(path, "w") as out:
        for i, row in df.iterrows():
            at = (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            props = {"createdate": at}
            for c in features:
                v = row[c]
                if pd.isna(v):
                    continue
                if v in ("Yes", "No"):
                    v = "true" if v == "Yes" else "false"
                elif isinstance(v, float) and v.is_integer():
                    v = int(v)
                props[property_name(c)] = str(v)
            line = {
                "contact": {"id": str(int(row["Lead Number"])), "properties": props},
                "company": None,
                "engagements": {"calls": [], "emails": [], "meetings": [], "notes": [], "tasks": []},
                "label": int(row["Converted"]),
                "at": at,
            }
            out.write(json.dumps(line) + "\n")


def npm(args: list[str], stdin=None, stdout=None) -> None:
    subprocess.run(["npm", "run", "--silent", *args], check=True, stdin=stdin, stdout=stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("csv")
    parser.add_argument("--keep", help="write the JSONL files, model and report here")
    parser.add_argument("--target-mql-share", default="0.3")
    args = parser.parse_args()

    df = read(args.csv)
    cut = int(round(len(df) * 0.7))
    train, test = df.iloc[:cut], df.iloc[cut:]
    work = args.keep or tempfile.mkdtemp(prefix="lead-bench-")
    os.makedirs(work, exist_ok=True)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    to_jsonl(train, f"{work}/train.jsonl", start)
    to_jsonl(test.reset_index(drop=True), f"{work}/test.jsonl", start + timedelta(hours=cut))

    with open(f"{work}/report.json", "w") as report:
        npm(
            ["train", "--", "--input", f"{work}/train.jsonl", "--out", f"{work}/model.json",
             "--target-mql-share", args.target_mql_share],
            stdout=report,
        )
    now = (start + timedelta(hours=len(df))).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(f"{work}/test.jsonl") as src, open(f"{work}/scores.jsonl", "w") as dst:
        npm(["score", "--", "--model", f"{work}/model.json", "--now", now], stdin=src, stdout=dst)
    scores = [json.loads(line) for line in open(f"{work}/scores.jsonl")]
    y = test["Converted"].to_numpy()
    ours = np.array([s["score"] for s in scores], dtype=float)
    flagged = np.array([s["status"] in ("mql", "ready", "sql") for s in scores])
    model = json.load(open(f"{work}/model.json"))

    columns = [c for c in df.columns if c not in ("Prospect ID", "Lead Number", "Converted")]
    categorical = [c for c in columns if c not in NUMERIC]
    X_train, X_test = train[columns].copy(), test[columns].copy()
    for X in (X_train, X_test):
        X[categorical] = X[categorical].fillna("(unknown)").astype(str)
    logistic = make_pipeline(
        ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), NUMERIC),
            ("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=20), categorical),
        ]),
        LogisticRegression(max_iter=2000),
    )
    boosting = make_pipeline(
        ColumnTransformer([
            ("num", "passthrough", NUMERIC),
            ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
        ]),
        HistGradientBoostingClassifier(
            categorical_features=list(range(len(NUMERIC), len(NUMERIC) + len(categorical))),
            random_state=0,
        ),
    )
    results = {}
    for name, learner in (("logistic regression", logistic), ("gradient boosting", boosting)):
        learner.fit(X_train, train["Converted"])
        results[name] = roc_auc_score(y, learner.predict_proba(X_test)[:, 1])

    print(f"Leads: {len(df)} ({int(df['Converted'].sum())} converted); train {len(train)} older, test {len(test)} newer")
    print(f"Trained model: {len(model['fit']['rules'])} fit rules, "
          f"{len(model['engagement']['signals'])} engagement and {len(model['negatives'])} negative signals")
    print(f"AUC on the newer 30 %:")
    print(f"  Lead Qualifier trainer  {roc_auc_score(y, ours):.3f}")
    for name, value in results.items():
        print(f"  {name:<22}  {value:.3f}")
    print(f"MQL, ready for sales or SQL at --target-mql-share {args.target_mql_share}: "
          f"{flagged.mean():.1%} of test leads flagged, holding {flagged[y == 1].mean():.1%} of the conversions")
    print(f"Files in {work}")


if __name__ == "__main__":
    sys.exit(main())
