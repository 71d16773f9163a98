"""Text classification 10-fold in scikit-learn, as a user would write it: TfidfVectorizer + LogisticRegression
(and CountVectorizer + MultinomialNB) in a Pipeline, cross_val_score with StratifiedKFold.
Usage: /usr/bin/python3 text.py CSV TEXT TARGET POSITIVE FOLDS SEED [MIN_DF C ALPHA MAX_FEATURES MODELS]
MAX_FEATURES 0: no limit. MODELS: comma-separated names of the models below (default: both). Prints each model's
mean and std, `mean` (over the models run), `samples` (training rows fitted over all folds and models), the wall
time and the peak resident memory."""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

csv, text, target, positive, folds, seed = sys.argv[1:7]
min_df = int(sys.argv[7]) if len(sys.argv) > 7 else 1
c = float(sys.argv[8]) if len(sys.argv) > 8 else 1.0
alpha = float(sys.argv[9]) if len(sys.argv) > 9 else 1.0
max_features = (int(sys.argv[10]) or None) if len(sys.argv) > 10 else None
chosen = sys.argv[11].split(",") if len(sys.argv) > 11 else ["tfidf-logistic", "counts-nb"]
started = time.perf_counter()
frame = pd.read_csv(csv, keep_default_na=False)
documents = frame[text].astype(str)
labels = (frame[target] == positive).to_numpy(dtype=np.int64)
split = StratifiedKFold(int(folds), shuffle=True, random_state=int(seed))
models = {
    "tfidf-logistic": make_pipeline(
        TfidfVectorizer(min_df=min_df, max_features=max_features), LogisticRegression(C=c)
    ),
    "counts-nb": make_pipeline(
        CountVectorizer(min_df=min_df, max_features=max_features), MultinomialNB(alpha=alpha)
    ),
}
models = {name: models[name] for name in chosen}
results = {}
for name, model in models.items():
    scores = cross_val_score(model, documents, labels, cv=split)
    results[name] = {"mean": float(np.mean(scores)), "std": float(np.std(scores))}
print(json.dumps({
    "results": results,
    "mean": float(np.mean([entry["mean"] for entry in results.values()])),
    "samples": len(labels) * len(models) * (int(folds) - 1) // int(folds) * int(folds),
    "rows": len(labels),
    "wallSeconds": time.perf_counter() - started,
    "peakMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
