"""Text classification 10-fold in scikit-learn, as a user would write it: TfidfVectorizer + LogisticRegression
(and CountVectorizer + MultinomialNB) in a Pipeline, cross_val_score with StratifiedKFold.
Usage: /usr/bin/python3 text.py CSV TEXT TARGET POSITIVE FOLDS SEED [MIN_DF C ALPHA]"""
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
started = time.perf_counter()
frame = pd.read_csv(csv, keep_default_na=False)
documents = frame[text].astype(str)
labels = (frame[target] == positive).to_numpy(dtype=np.int64)
split = StratifiedKFold(int(folds), shuffle=True, random_state=int(seed))
models = {
    "tfidf-logistic": make_pipeline(TfidfVectorizer(min_df=min_df), LogisticRegression(C=c)),
    "counts-nb": make_pipeline(CountVectorizer(min_df=min_df), MultinomialNB(alpha=alpha)),
}
results = {}
for name, model in models.items():
    scores = cross_val_score(model, documents, labels, cv=split)
    results[name] = {"mean": float(np.mean(scores)), "std": float(np.std(scores))}
print(json.dumps({
    "results": results,
    "rows": len(labels),
    "wallSeconds": time.perf_counter() - started,
    "peakMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
