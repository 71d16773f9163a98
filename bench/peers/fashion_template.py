"""The `fashion` template's evaluation in PyTorch and scikit-learn, as a user would write it: the template's images
(its IDX files as shipped, scaled by the image op's scale), the same stratified folds as Topdown (read from the JSON
that folds.mjs writes: holdout reserved, 5 folds over the rest), and every candidate of its topdown.json with the
same shape, epochs, batch size and Adam learning rate: the baseline (majority class of the training part), linear
(softmax) and MLP networks, CNNs (conv k x k same + ReLU + max-pool 2 x 2 per filter count, dense ReLU layers with
dropout, a dense output), and k-NN (scikit-learn). PyTorch at its default number of threads.
Usage: /usr/bin/python3 fashion_template.py PROJECT_DIR FOLDS_JSON"""
import gzip
import json
import os
import sys

import numpy as np
import torch
from sklearn.neighbors import KNeighborsClassifier
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

project_dir, folds_file = sys.argv[1:3]
with open(os.path.join(project_dir, "topdown.json")) as file:
    project = json.load(file)
with open(folds_file) as file:
    split = json.load(file)
seed = project["evaluate"].get("seed", 7)
torch.manual_seed(seed)


def idx(path, offset):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as file:
        return np.frombuffer(file.read(), dtype=np.uint8, offset=offset)


images_file = os.path.join(project_dir, project["problem"]["data"])
image = next(op for op in project["prepare"] if op["op"] == "image")
rows, cols, channels = image["rows"], image["cols"], image["channels"]
images = (idx(images_file, 16).astype(np.float32) / image["scale"]).reshape(-1, channels, rows, cols)
labels = idx(images_file.replace("images-idx3", "labels-idx1"), 8).astype(np.int64)
# The folds' sample indices are image positions: check that Topdown's class of each sample is this label's name.
names = project["problem"]["classNames"]
assert len(split["labels"]) == len(labels)
assert all(split["classes"][mine] == names[theirs] for mine, theirs in zip(split["labels"], labels))
classes = len(names)


def network(candidate):
    """The zoo's architectures (src/core/models/architectures.ts) in PyTorch."""
    layers, width = [], channels * rows * cols
    if candidate["model"] == "cnn":
        size, depth, kernel = [rows, cols], channels, candidate.get("kernelSize", 3)
        for filters in candidate["filters"]:
            layers += [nn.Conv2d(depth, filters, kernel, padding="same"), nn.ReLU()]
            if size[0] >= 2 and size[1] >= 2:
                layers.append(nn.MaxPool2d(2))
                size = [size[0] // 2, size[1] // 2]
            depth = filters
        width = depth * size[0] * size[1]
    layers.append(nn.Flatten())
    dense = candidate.get("layers", []) if candidate["model"] == "mlp" else candidate.get("dense", [])
    dropout = candidate.get("dropout", 0)
    for units in dense:
        layers += [nn.Linear(width, units), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = units
    if candidate["model"] == "cnn" and dropout > 0 and not dense:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


def train_network(candidate, train, validation):
    if candidate.get("earlyStopping") or candidate.get("optimizer", "adam") != "adam":
        raise SystemExit(f"{candidate['name']}: only Adam without early stopping is written here")
    model = network(candidate)
    loader = DataLoader(
        TensorDataset(torch.tensor(images[train]), torch.tensor(labels[train])),
        batch_size=candidate.get("batchSize", 32),
        shuffle=True,
    )
    # Topdown's l2 adds l2 * sum(w^2) to the loss: a gradient of 2 * l2 * w (here on the biases too).
    optimizer = torch.optim.Adam(
        model.parameters(), lr=candidate.get("learningRate", 0.001), weight_decay=2 * candidate.get("l2", 0)
    )
    loss_function = nn.CrossEntropyLoss()
    for epoch in range(candidate.get("epochs", 10)):
        model.train()
        for x_batch, y_batch in loader:
            optimizer.zero_grad()
            loss = loss_function(model(x_batch), y_batch)
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        return model(torch.tensor(images[validation])).argmax(dim=1).numpy()


def predict(candidate, train, validation):
    kind = candidate["model"]
    if kind == "baseline":
        return np.full(len(validation), np.bincount(labels[train], minlength=classes).argmax())
    if kind == "knn":
        flat = images.reshape(len(images), -1)
        knn = KNeighborsClassifier(n_neighbors=candidate.get("k", 5)).fit(flat[train], labels[train])
        return knn.predict(flat[validation])
    return train_network(candidate, train, validation)


results, samples = {}, 0
for candidate in project["evaluate"]["candidates"]:
    scores = []
    for fold in split["folds"]:
        train, validation = np.array(fold["train"]), np.array(fold["validation"])
        predicted = predict(candidate, train, validation)
        scores.append(float((predicted == labels[validation]).mean()))
        if candidate["model"] not in ("baseline", "knn"):
            samples += len(train) * candidate.get("epochs", 10)
    results[candidate["name"]] = {"scores": scores, "mean": float(np.mean(scores))}

kinds = {candidate["name"]: candidate["model"] for candidate in project["evaluate"]["candidates"]}
means = [result["mean"] for name, result in results.items() if kinds[name] != "baseline"]
print(
    json.dumps(
        {
            "candidates": results,
            "mean": float(np.mean(means)),
            "samples": samples,
            "threads": torch.get_num_threads(),
        }
    )
)
