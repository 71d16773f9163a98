"""LSTM walk-forward validation on the airline series in PyTorch, as a user would write it: min-max scaling
fitted on each training part, windows of the last LOOK_BACK months, LSTM(50) + dense 1, Adam, MSE, batches
shuffled by a DataLoader; the score is the RMSE in passengers.
Usage: /usr/bin/python3 lstm.py CSV TARGET LOOK_BACK UNITS BATCH EPOCHS FOLDS LEARNING_RATE SEED"""
import json
import sys

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

csv, target, look_back, units, batch, epochs, folds, rate, seed = sys.argv[1:10]
look_back, units, batch, epochs, folds = int(look_back), int(units), int(batch), int(epochs), int(folds)
rate, seed = float(rate), int(seed)
torch.manual_seed(seed)

series = pd.read_csv(csv)[target].to_numpy(dtype=np.float32)
count = len(series) - look_back
starts = np.arange(count)
initial = count // 2
step = (count - initial) // folds


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, units, batch_first=True)
        self.out = nn.Linear(units, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.out(output[:, -1, :])


def windows(values, indices):
    x = np.stack([values[start : start + look_back] for start in indices])[:, :, None]
    return torch.tensor(x), torch.tensor(values[indices + look_back][:, None])


scores, samples = [], 0
for fold in range(folds):
    end = initial + fold * step
    test_end = count if fold == folds - 1 else end + step
    low, high = series[: end + look_back].min(), series[: end + look_back].max()
    scaled = (series - low) / (high - low)
    x_train, y_train = windows(scaled, starts[:end])
    x_test, _ = windows(scaled, starts[end:test_end])
    mean, scale = y_train.mean(), y_train.std(unbiased=False)
    loader = DataLoader(TensorDataset(x_train, (y_train - mean) / scale), batch_size=batch, shuffle=True)
    model = Forecaster()
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)
    loss_function = nn.MSELoss()
    for epoch in range(epochs):
        model.train()
        for x_batch, y_batch in loader:
            optimizer.zero_grad()
            loss = loss_function(model(x_batch), y_batch)
            loss.backward()
            optimizer.step()
        samples += end
    model.eval()
    with torch.no_grad():
        predicted = (model(x_test) * scale + mean).numpy()[:, 0] * (high - low) + low
    actual = series[starts[end:test_end] + look_back]
    scores.append(float(np.sqrt(np.mean((predicted - actual) ** 2))))

print(json.dumps({"scores": scores, "mean": float(np.mean(scores)), "samples": samples}))
