"""Tables for the `new --from-csv` planner bench, and scikit-learn's default models on them.

  python3 tables.py write DIR          writes the tables as CSVs into DIR and prints their names as JSON
  python3 tables.py score CSV TARGET TASK FOLDS
                                        scores scikit-learn's default models (each scale-sensitive one behind a
                                        StandardScaler, as a careful user writes it) on shuffled (stratified)
                                        k folds of all the rows, and prints {model: {mean, std, ...}} as JSON
  python3 tables.py score-folds CSV TARGET TASK OUT_OF_FOLD_JSON
                                        the same models on Topdown's own folds: each fold's validation rows are
                                        those of a Topdown run's out-of-fold.json (the holdout rows are in none of
                                        them), each model trained on the other folds' rows; same JSON

The tables are UCI-style: real ones shipped with scikit-learn (breast cancer, wine, Boston housing, diabetes) and
generated ones at the sizes the planner must handle (20,000 rows x 16 features x 26 classes like the letter
recognition table; 100,000 rows). Generated tables are seeded and named "synthetic".
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor


def write(folder):
    os.makedirs(folder, exist_ok=True)
    tables = []

    def save(name, frame, target, task, note):
        path = os.path.join(folder, f"{name}.csv")
        frame.to_csv(path, index=False)
        tables.append({"name": name, "csv": path, "target": target, "task": task, "rows": len(frame), "note": note})

    cancer = datasets.load_breast_cancer(as_frame=True).frame
    cancer["target"] = cancer["target"].map({0: "malignant", 1: "benign"})
    save("breast-cancer", cancer, "target", "binary", "UCI Wisconsin diagnostic, 569 x 30")
    wine = datasets.load_wine(as_frame=True).frame
    wine["target"] = wine["target"].map(lambda k: f"cultivar{k}")
    save("wine", wine, "target", "multiclass", "UCI wine, 178 x 13, 3 classes")
    diabetes = datasets.load_diabetes(as_frame=True, scaled=False).frame
    save("diabetes", diabetes, "target", "regression", "Efron et al. diabetes progression, 442 x 10")
    boston_csv = os.path.join(os.path.dirname(datasets.__file__), "data", "boston_house_prices.csv")
    boston = pd.read_csv(boston_csv, skiprows=1)
    save("housing", boston, "MEDV", "regression", "UCI Boston housing, 506 x 13")
    x, y = datasets.make_classification(
        n_samples=20_000, n_features=16, n_informative=14, n_redundant=2, n_classes=26,
        n_clusters_per_class=1, class_sep=1.5, random_state=7)
    letter = pd.DataFrame(np.round(x * 3 + 8).clip(0, 15).astype(int), columns=[f"f{i}" for i in range(16)])
    letter["letter"] = [chr(65 + k) for k in y]
    save("letter-like", letter, "letter", "multiclass", "synthetic, 20,000 x 16 whole numbers 0-15, 26 classes")
    x, y = datasets.make_classification(
        n_samples=100_000, n_features=20, n_informative=10, n_redundant=4, n_classes=2,
        flip_y=0.05, random_state=11)
    big = pd.DataFrame(np.round(x, 4), columns=[f"x{i}" for i in range(20)])
    big["label"] = np.where(y == 1, "yes", "no")
    save("big-binary", big, "label", "binary", "synthetic, 100,000 x 20, binary")
    print(json.dumps(tables))


def models(task, rows):
    scaled = lambda model: make_pipeline(StandardScaler(), model)
    if task == "regression":
        found = {
            "linear": LinearRegression(), "knn": scaled(KNeighborsRegressor()), "cart": DecisionTreeRegressor(random_state=0),
            "svr": scaled(SVR()), "random-forest": RandomForestRegressor(random_state=0, n_jobs=1),
            "mlp": scaled(MLPRegressor(random_state=0, max_iter=500)),
        }
    else:
        found = {
            "logistic": scaled(LogisticRegression(max_iter=1000)), "knn": scaled(KNeighborsClassifier()),
            "cart": DecisionTreeClassifier(random_state=0), "naive-bayes": GaussianNB(), "svc": scaled(SVC()),
            "random-forest": RandomForestClassifier(random_state=0, n_jobs=1), "mlp": scaled(MLPClassifier(random_state=0)),
        }
    if rows > 50_000:
        found.pop("svc", None)  # quadratic in rows: hours at 100,000
        found.pop("svr", None)
    return found


def score(csv, target, task, folds):
    frame = pd.read_csv(csv)
    y = frame.pop(target).values
    x = frame.values.astype(float)
    regression = task == "regression"
    splitter = (KFold if regression else StratifiedKFold)(n_splits=folds, shuffle=True, random_state=7)
    metric = "neg_root_mean_squared_error" if regression else "accuracy"
    result = {}
    for name, model in models(task, len(frame)).items():
        started = time.time()
        scores = cross_val_score(model, x, y, cv=splitter, scoring=metric, n_jobs=1)
        if regression:
            scores = -scores
        result[name] = {"mean": float(scores.mean()), "std": float(scores.std(ddof=1)), "seconds": time.time() - started}
        print(f"{name} {scores.mean():.4f} ± {scores.std(ddof=1):.4f} ({time.time() - started:.1f} s)", file=sys.stderr)
    print(json.dumps(result))


def score_folds(csv, target, task, out_of_fold):
    frame = pd.read_csv(csv)
    y = frame.pop(target).values
    x = frame.values.astype(float)
    with open(out_of_fold) as file:
        # 0-based rows of the table as Topdown read it: the CSV's data rows (the bench tables have no empty target).
        folds = [np.array(fold["rows"]) for fold in json.load(file)["folds"]]
    regression = task == "regression"
    result = {}
    for name, model in models(task, len(frame)).items():
        started = time.time()
        scores = []
        for k, valid in enumerate(folds):
            train = np.concatenate([fold for j, fold in enumerate(folds) if j != k])
            predicted = model.fit(x[train], y[train]).predict(x[valid])
            scores.append(
                float(np.sqrt(mean_squared_error(y[valid], predicted))) if regression
                else float(accuracy_score(y[valid], predicted)))
        scores = np.array(scores)
        result[name] = {"mean": float(scores.mean()), "std": float(scores.std(ddof=1)), "folds": scores.tolist(),
                        "seconds": time.time() - started}
        print(f"{name} {scores.mean():.4f} ± {scores.std(ddof=1):.4f} ({time.time() - started:.1f} s)", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "score-folds":
        score_folds(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        score(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
