"""MLP k-fold cross-validation in PyTorch, written the way a user would: pandas, StandardScaler fitted on
each training fold, DataLoader with shuffling, Adam, cross-entropy on softmax outputs.
Usage: /usr/bin/python3 mlp.py CSV TARGET POSITIVE LAYERS BATCH EPOCHS FOLDS LEARNING_RATE SEED
Prints one JSON object: {"scores": [...], "mean": ..., "samples": ...}."""
import json
import sys

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

csv, target, positive, layers, batch, epochs, folds, rate, seed = sys.argv[1:10]
layers = [int(units) for units in layers.split(",")]
batch, epochs, folds, rate, seed = int(batch), int(epochs), int(folds), float(rate), int(seed)
torch.manual_seed(seed)

frame = pd.read_csv(csv)
features = frame.drop(columns=[target]).to_numpy(dtype=np.float32)
labels = (frame[target] == positive).to_numpy(dtype=np.int64)


def build(inputs):
    modules, width = [], inputs
    for units in layers:
        modules += [nn.Linear(width, units), nn.ReLU()]
        width = units
    modules.append(nn.Linear(width, 2))
    return nn.Sequential(*modules)


scores, samples = [], 0
for train_index, test_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(features, labels):
    scaler = StandardScaler().fit(features[train_index])
    x_train = torch.tensor(scaler.transform(features[train_index]), dtype=torch.float32)
    x_test = torch.tensor(scaler.transform(features[test_index]), dtype=torch.float32)
    y_train = torch.tensor(labels[train_index])
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch, shuffle=True)
    model = build(features.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)
    loss_function = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for x_batch, y_batch in loader:
            optimizer.zero_grad()
            loss = loss_function(model(x_batch), y_batch)
            loss.backward()
            optimizer.step()
        samples += len(train_index)
    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1).numpy()
    scores.append(float((predicted == labels[test_index]).mean()))

print(json.dumps({"scores": scores, "mean": float(np.mean(scores)), "samples": samples}))
