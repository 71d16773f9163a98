"""CNN k-fold cross-validation on the 8x8 digits in PyTorch, as a user would write it: Conv 16 3x3 (same
padding) + ReLU, max-pool 2x2, dense softmax over 10 classes, Adam, DataLoader with shuffling.
Usage: /usr/bin/python3 cnn.py CSV TARGET BATCH EPOCHS FOLDS LEARNING_RATE SEED"""
import json
import sys

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import StratifiedKFold
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

csv, target, batch, epochs, folds, rate, seed = sys.argv[1:8]
batch, epochs, folds, rate, seed = int(batch), int(epochs), int(folds), float(rate), int(seed)
torch.manual_seed(seed)

frame = pd.read_csv(csv)
images = (frame.drop(columns=[target]).to_numpy(dtype=np.float32) / 16.0).reshape(-1, 1, 8, 8)
labels = frame[target].to_numpy(dtype=np.int64)

scores, samples = [], 0
for train_index, test_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(images, labels):
    loader = DataLoader(
        TensorDataset(torch.tensor(images[train_index]), torch.tensor(labels[train_index])),
        batch_size=batch,
        shuffle=True,
    )
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 4 * 4, 10)
    )
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
        predicted = model(torch.tensor(images[test_index])).argmax(dim=1).numpy()
    scores.append(float((predicted == labels[test_index]).mean()))

print(json.dumps({"scores": scores, "mean": float(np.mean(scores)), "samples": samples}))
