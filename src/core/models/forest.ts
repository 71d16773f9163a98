/**
 * CART trees grown on typed arrays: one decision tree (every row, every feature) or a random forest
 * (bootstrap samples, a seeded feature subset per tree), with Gini or squared error splits at midpoints
 * between distinct values. The rows are sorted once per feature, and a split partitions those sorted lists
 * stably instead of sorting again, so 100 trees on 700 rows grow in a fraction of a second (ml-random-forest,
 * which built a matrix per node, took about ten seconds).
 */
import { createRng, type Rng } from '../random';

/** How one tree is grown. */
export interface TreeOptions {
  maxDepth: number;
  /** A node with fewer samples becomes a leaf. */
  minSamples: number;
  /** Classes for classification; 0 for regression. */
  classes: number;
}

/** How a forest is grown. */
export interface ForestOptions extends TreeOptions {
  trees: number;
  /** Features each tree sees (at most the number of features). */
  featuresPerTree: number;
  seed: number;
}

/** One grown tree as flat arrays: node `i` splits on `feature[i]` at `threshold[i]`, or is a leaf (-1). */
export interface TreeArrays {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf output: the majority class, or the mean target. */
  value: number[];
  /** Decision trees that classify: per node, the share of its samples in each class ([nodes, classes]). */
  shares?: number[];
}

/** A grown forest, plain JSON (what a model bundle stores). */
export interface ForestState {
  format: 'topdown-forest-1';
  classes: number;
  trees: TreeArrays[];
}

/** A grown decision tree, plain JSON (what a model bundle stores). */
export interface TreeState {
  format: 'topdown-tree-1';
  classes: number;
  tree: TreeArrays;
}

/** Rows sorted by one feature's value (ties in row order), computed once per feature and kept. */
function featureOrders(x: Float32Array, count: number, width: number): (feature: number) => Int32Array {
  const orders = new Map<number, Int32Array>();
  return (feature) => {
    let order = orders.get(feature);
    if (!order) {
      const values = new Float32Array(count);
      for (let row = 0; row < count; row++) values[row] = x[row * width + feature];
      order = Int32Array.from({ length: count }, (_, row) => row).sort(
        (left, right) => values[left] - values[right],
      );
      orders.set(feature, order);
    }
    return order;
  };
}

/**
 * Grows one decision tree on every row and every feature of `count` rows of `width` features (row-major),
 * with class labels or targets `y`. Nothing is drawn at random, so the same data gives the same tree.
 */
export function growTree(
  x: Float32Array,
  count: number,
  width: number,
  y: ArrayLike<number>,
  options: TreeOptions,
): TreeState {
  const orderOf = featureOrders(x, count, width);
  const rows = Int32Array.from({ length: count }, (_, row) => row);
  const features = Int32Array.from({ length: width }, (_, feature) => feature);
  const sorted = Array.from(features, (feature) => Int32Array.from(orderOf(feature)));
  const grower = new TreeGrower(x, width, y, rows, features, sorted, options, options.classes > 0);
  return { format: 'topdown-tree-1', classes: options.classes, tree: grower.grow() };
}

/** Per row: the class shares of the leaf it falls in [count, classes], or the leaf's mean [count]. */
export function predictTree(state: TreeState, x: Float32Array, count: number, width: number): Float32Array {
  const { classes, tree } = state;
  const output = new Float32Array(count * Math.max(classes, 1));
  for (let row = 0; row < count; row++) {
    const node = leafOf(tree, x, row * width);
    if (classes > 0) output.set(tree.shares!.slice(node * classes, (node + 1) * classes), row * classes);
    else output[row] = tree.value[node];
  }
  return output;
}

/** The leaf that the row starting at `offset` falls in. */
function leafOf(tree: TreeArrays, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0)
    node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

/** Grows a forest on `count` rows of `width` features (row-major) with class labels or targets `y`. */
export function growForest(
  x: Float32Array,
  count: number,
  width: number,
  y: ArrayLike<number>,
  options: ForestOptions,
): ForestState {
  const rng = createRng(options.seed);
  const trees: TreeArrays[] = [];
  // Rows sorted by each feature, once per forest; each tree derives its own sorted lists from them.
  const orderOf = featureOrders(x, count, width);
  const multiplicity = new Int32Array(count);
  const firstPosition = new Int32Array(count);
  for (let tree = 0; tree < options.trees; tree++) {
    // A bootstrap sample as a multiset: the rows in row order, each repeated as often as it was drawn.
    multiplicity.fill(0);
    for (let draw = 0; draw < count; draw++) multiplicity[Math.floor(rng() * count)]++;
    const rows = new Int32Array(count);
    let position = 0;
    for (let row = 0; row < count; row++) {
      firstPosition[row] = position;
      for (let copy = 0; copy < multiplicity[row]; copy++) rows[position++] = row;
    }
    const features = pickFeatures(width, Math.min(width, Math.max(1, options.featuresPerTree)), rng);
    const sorted = Array.from(features, (feature) => {
      const list = new Int32Array(count);
      let next = 0;
      for (const row of orderOf(feature))
        for (let copy = 0; copy < multiplicity[row]; copy++) list[next++] = firstPosition[row] + copy;
      return list;
    });
    trees.push(new TreeGrower(x, width, y, rows, features, sorted, options, false).grow());
  }
  return { format: 'topdown-forest-1', classes: options.classes, trees };
}

/** Per row: the share of trees voting for each class [count, classes], or the trees' mean [count]. */
export function predictForest(
  state: ForestState,
  x: Float32Array,
  count: number,
  width: number,
): Float32Array {
  const classes = state.classes;
  const output = new Float32Array(count * Math.max(classes, 1));
  const share = 1 / Math.max(state.trees.length, 1);
  for (const tree of state.trees) {
    for (let row = 0; row < count; row++) {
      const node = leafOf(tree, x, row * width);
      if (classes > 0) output[row * classes + tree.value[node]] += share;
      else output[row] += tree.value[node] * share;
    }
  }
  return output;
}

/** `size` distinct features out of `width`, sorted (a partial Fisher-Yates shuffle). */
function pickFeatures(width: number, size: number, rng: Rng): Int32Array {
  const all = Int32Array.from({ length: width }, (_, index) => index);
  for (let index = 0; index < size; index++) {
    const other = index + Math.floor(rng() * (width - index));
    const held = all[index];
    all[index] = all[other];
    all[other] = held;
  }
  return all.subarray(0, size).sort();
}

/** Grows one tree; see the file comment. */
class TreeGrower {
  private readonly count: number;
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  private readonly classCounts: Float64Array;
  private readonly rightCounts: Float64Array;
  private readonly tree: TreeArrays = { feature: [], threshold: [], left: [], right: [], value: [] };

  constructor(
    private readonly x: Float32Array,
    private readonly width: number,
    private readonly y: ArrayLike<number>,
    private readonly rows: Int32Array,
    private readonly features: Int32Array,
    /** Per chosen feature, positions into `rows` sorted by that feature's value within each node's range. */
    private readonly sorted: Int32Array[],
    private readonly options: TreeOptions,
    /** Keep each node's class shares (a decision tree predicts them; a forest counts votes). */
    private readonly keepShares: boolean,
  ) {
    this.count = rows.length;
    this.goesLeft = new Uint8Array(this.count);
    this.buffer = new Int32Array(this.count);
    this.classCounts = new Float64Array(Math.max(options.classes, 1));
    this.rightCounts = new Float64Array(Math.max(options.classes, 1));
  }

  grow(): TreeArrays {
    if (this.keepShares) this.tree.shares = [];
    this.node(0, this.count, 0);
    return this.tree;
  }

  private target(position: number): number {
    return this.y[this.rows[position]];
  }

  /** Adds the node for positions [start, end) of every sorted list and returns its index. */
  private node(start: number, end: number, depth: number): number {
    const index = this.tree.feature.length;
    this.tree.feature.push(-1);
    this.tree.threshold.push(0);
    this.tree.left.push(-1);
    this.tree.right.push(-1);
    this.tree.value.push(this.leafValue(start, end));
    if (depth >= this.options.maxDepth || end - start < this.options.minSamples) return index;
    const split = this.bestSplit(start, end);
    if (!split) return index;
    const list = this.sorted[split.featureSlot];
    for (let position = start; position < end; position++) this.goesLeft[list[position]] = 0;
    for (let position = start; position < start + split.leftCount; position++)
      this.goesLeft[list[position]] = 1;
    for (const other of this.sorted) this.partition(other, start, end, split.leftCount);
    this.tree.feature[index] = this.features[split.featureSlot];
    this.tree.threshold[index] = split.threshold;
    this.tree.left[index] = this.node(start, start + split.leftCount, depth + 1);
    this.tree.right[index] = this.node(start + split.leftCount, end, depth + 1);
    return index;
  }

  /** Stable partition of list[start, end): rows going left first, each side in its sorted order. */
  private partition(list: Int32Array, start: number, end: number, leftCount: number): void {
    let left = start;
    let right = 0;
    for (let position = start; position < end; position++) {
      const value = list[position];
      if (this.goesLeft[value]) list[left++] = value;
      else this.buffer[right++] = value;
    }
    list.set(this.buffer.subarray(0, right), start + leftCount);
  }

  /** The majority class (lowest index on ties), or the mean target; the class shares when kept. */
  private leafValue(start: number, end: number): number {
    const list = this.sorted[0];
    if (this.options.classes > 0) {
      this.classCounts.fill(0);
      for (let position = start; position < end; position++) this.classCounts[this.target(list[position])]++;
      const size = Math.max(end - start, 1);
      this.tree.shares?.push(...Array.from(this.classCounts, (classCount) => classCount / size));
      let best = 0;
      for (let label = 1; label < this.options.classes; label++)
        if (this.classCounts[label] > this.classCounts[best]) best = label;
      return best;
    }
    let sum = 0;
    for (let position = start; position < end; position++) sum += this.target(list[position]);
    return sum / Math.max(end - start, 1);
  }

  /** The split with the lowest weighted impurity, if any lowers it; undefined for a pure or constant node. */
  private bestSplit(start: number, end: number) {
    const size = end - start;
    const classes = this.options.classes;
    let parentImpurity: number;
    let total = 0;
    let totalSquares = 0;
    if (classes > 0) {
      // For counts c_k over n samples, n·gini = n − Σc_k²/n.
      this.classCounts.fill(0);
      for (let position = start; position < end; position++)
        this.classCounts[this.target(this.sorted[0][position])]++;
      let squares = 0;
      for (const classCount of this.classCounts) squares += classCount * classCount;
      parentImpurity = size - squares / size;
      totalSquares = squares;
    } else {
      for (let position = start; position < end; position++) {
        const value = this.target(this.sorted[0][position]);
        total += value;
        totalSquares += value * value;
      }
      parentImpurity = totalSquares - (total * total) / size;
    }
    if (parentImpurity <= 1e-12) return undefined;
    let best: { featureSlot: number; threshold: number; leftCount: number } | undefined;
    let bestImpurity = parentImpurity - 1e-12;
    this.sorted.forEach((list, featureSlot) => {
      const feature = this.features[featureSlot];
      const valueAt = (position: number): number => this.x[this.rows[list[position]] * this.width + feature];
      if (valueAt(start) === valueAt(end - 1)) return;
      let leftSum = 0;
      let leftSquares = 0;
      let rightSquares = totalSquares;
      // Every sample starts on the right.
      if (classes > 0) this.rightCounts.set(this.classCounts);
      for (let position = start; position < end - 1; position++) {
        const label = this.target(list[position]);
        if (classes > 0) {
          // Moving one sample of class k from right to left changes the squared counts by ±(2c ± 1).
          const leftCount = this.classCounts[label] - this.rightCounts[label];
          leftSquares += 2 * leftCount + 1;
          rightSquares -= 2 * this.rightCounts[label] - 1;
          this.rightCounts[label]--;
        } else {
          leftSum += label;
          leftSquares += label * label;
        }
        const current = valueAt(position);
        const next = valueAt(position + 1);
        if (current === next) continue;
        const leftSize = position - start + 1;
        const rightSize = size - leftSize;
        const impurity =
          classes > 0
            ? leftSize - leftSquares / leftSize + rightSize - rightSquares / rightSize
            : leftSquares -
              (leftSum * leftSum) / leftSize +
              (totalSquares - leftSquares) -
              ((total - leftSum) * (total - leftSum)) / rightSize;
        if (impurity < bestImpurity) {
          bestImpurity = impurity;
          best = { featureSlot, threshold: current + (next - current) / 2, leftCount: leftSize };
        }
      }
    });
    return best;
  }
}
