#!/usr/bin/env node
// Writes the fashion template's data: a stratified subset of Fashion-MNIST (Zalando, MIT licence) from the IDX
// files of the Debian package dataset-fashion-mnist. The first N images of each class, in file order (the files
// are shuffled already), as gzipped IDX files. Run: node scripts/fashion-subset.mjs [perClassTrain] [perClassTest]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';

const source = '/usr/share/datasets/fashion-mnist';
const target = join(import.meta.dirname, '..', 'templates', 'fashion', 'data');
const [perTrain, perTest] = [Number(process.argv[2] ?? 400), Number(process.argv[3] ?? 50)];

function readIdx(file) {
  const bytes = gunzipSync(readFileSync(join(source, file)));
  const dimensions = Array.from({ length: bytes[3] }, (_, index) => bytes.readUInt32BE(4 + 4 * index));
  return { dimensions, data: bytes.subarray(4 + 4 * bytes[3]) };
}

function idx(dimensions, data) {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header[2] = 0x08;
  header[3] = dimensions.length;
  dimensions.forEach((dimension, index) => header.writeUInt32BE(dimension, 4 + 4 * index));
  return gzipSync(Buffer.concat([header, data]), { level: 9 });
}

function subset(prefix, perClass) {
  const images = readIdx(`${prefix}-images-idx3-ubyte.gz`);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte.gz`);
  const size = images.dimensions[1] * images.dimensions[2];
  const taken = new Array(10).fill(0);
  const chosen = [];
  for (let index = 0; index < labels.data.length; index++) {
    const label = labels.data[index];
    if (taken[label] < perClass) {
      taken[label]++;
      chosen.push(index);
    }
  }
  const pixels = Buffer.concat(chosen.map((index) => images.data.subarray(index * size, (index + 1) * size)));
  const chosenLabels = Buffer.from(chosen.map((index) => labels.data[index]));
  writeFileSync(join(target, `${prefix}-images-idx3-ubyte.gz`), idx([chosen.length, 28, 28], pixels));
  writeFileSync(join(target, `${prefix}-labels-idx1-ubyte.gz`), idx([chosen.length], chosenLabels));
  return chosen.length;
}

console.log(
  `train: ${subset('train', perTrain)} images, t10k: ${subset('t10k', perTest)} images → ${target}`,
);
