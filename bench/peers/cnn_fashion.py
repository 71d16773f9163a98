"""A CNN on Fashion-MNIST in PyTorch, as a user would write it: conv blocks (3x3, same padding, ReLU, max-pool 2x2),
dense ReLU layers, a dense output over 10 classes, Adam, a shuffling DataLoader; trained on the 60,000 training
images, scored on the 10,000 test images. Reads the IDX files (gzip) directly. One thread, so that samples/s is
per process.
Usage: /usr/bin/python3 cnn_fashion.py IDX_DIR FILTERS DENSE BATCH EPOCHS LEARNING_RATE SEED [LIMIT]
(FILTERS and DENSE comma-separated, DENSE may be empty; LIMIT trains on the first LIMIT training images only, for a
quick samples-per-CPU-second figure)"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

folder, filters, dense, batch, epochs, rate, seed = sys.argv[1:8]
filters = [int(value) for value in filters.split(",") if value]
dense = [int(value) for value in dense.split(",") if value]
batch, epochs, rate, seed = int(batch), int(epochs), float(rate), int(seed)
torch.manual_seed(seed)
torch.set_num_threads(1)


def idx(name, offset):
    with gzip.open(os.path.join(folder, name), "rb") as file:
        return np.frombuffer(file.read(), dtype=np.uint8, offset=offset)


limit = int(sys.argv[8]) if len(sys.argv) > 8 else None
train_x = (idx("train-images-idx3-ubyte.gz", 16).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)[:limit]
train_y = idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)[:limit]
test_x = (idx("t10k-images-idx3-ubyte.gz", 16).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
test_y = idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)

layers, channels, size = [], 1, 28
for count in filters:
    layers += [nn.Conv2d(channels, count, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    channels, size = count, size // 2
layers.append(nn.Flatten())
width = channels * size * size
for units in dense:
    layers += [nn.Linear(width, units), nn.ReLU()]
    width = units
layers.append(nn.Linear(width, 10))
model = nn.Sequential(*layers)

loader = DataLoader(TensorDataset(torch.tensor(train_x), torch.tensor(train_y)), batch_size=batch, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=rate)
loss_function = nn.CrossEntropyLoss()
started = time.process_time()
for epoch in range(epochs):
    model.train()
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = loss_function(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
train_cpu = time.process_time() - started
model.eval()
with torch.no_grad():
    predicted = model(torch.tensor(test_x)).argmax(dim=1).numpy()
score = float((predicted == test_y).mean())
samples = len(train_y) * epochs
print(json.dumps({"scores": [score], "mean": score, "samples": samples, "trainCpuS": train_cpu}))
