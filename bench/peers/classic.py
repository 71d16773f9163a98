"""Classic models 10-fold in scikit-learn, as a user would write it: a Pipeline of StandardScaler and the
model, cross_val_score with StratifiedKFold. Models: logistic regression, k-NN, random forest.
Usage: /usr/bin/python3 classic.py CSV TARGET POSITIVE FOLDS NEIGHBOURS TREES SEED"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

csv, target, positive, folds, neighbours, trees, seed = sys.argv[1:8]
folds, neighbours, trees, seed = int(folds), int(neighbours), int(trees), int(seed)

frame = pd.read_csv(csv)
features = frame.drop(columns=[target]).to_numpy(dtype=np.float32)
labels = (frame[target] == positive).to_numpy(dtype=np.int64)
models = {
    "logistic": LogisticRegression(max_iter=1000),
    "knn": KNeighborsClassifier(n_neighbors=neighbours),
    "random-forest": RandomForestClassifier(n_estimators=trees, random_state=seed),
}
split = StratifiedKFold(folds, shuffle=True, random_state=seed)
results = {}
for name, model in models.items():
    scores = cross_val_score(make_pipeline(StandardScaler(), model), features, labels, cv=split)
    results[name] = float(np.mean(scores))
samples = len(labels) * len(models) * (folds - 1) // folds * folds
print(json.dumps({"means": results, "mean": float(np.mean(list(results.values()))), "samples": samples}))
