import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adviseFromCurves, type AdviceOptions } from '../../src/core/improve/advisor';
import { createRng } from '../../src/core/random';

const classification: AdviceOptions = { task: 'binary', metric: 'accuracy', higherIsBetter: true };

/** Synthetic per-epoch logs: each curve is a function of the 0-based epoch. */
function curves(
  epochs: number,
  shapes: Record<string, (epoch: number) => number>,
): Array<Record<string, number>> {
  return Array.from({ length: epochs }, (_, epoch) =>
    Object.fromEntries(Object.entries(shapes).map(([key, shape]) => [key, shape(epoch)])),
  );
}

const decay = (start: number, floor: number, tau: number) => (epoch: number) =>
  floor + (start - floor) * Math.exp(-epoch / tau);

describe('adviseFromCurves', () => {
  it('calls a curve that levels off near the end a good fit', () => {
    const history = curves(100, { loss: decay(1, 0.3, 20), val_loss: decay(1.05, 0.34, 20) });
    const advice = adviseFromCurves(history, classification);
    assert.equal(advice.diagnosis, 'good-fit');
    assert.match(advice.message, /levelled off near the end, 1\d% above the training loss/);
  });

  it('asks for twice the epochs while the validation loss is still falling', () => {
    const history = curves(100, { loss: decay(1, 0.3, 40), val_loss: decay(1.05, 0.34, 40) });
    const advice = adviseFromCurves(history, classification);
    assert.equal(advice.diagnosis, 'still-improving');
    assert.equal(advice.nextStep, 'Raise epochs to 200.');
    assert.ok(advice.evidence.recentDrop > 0.02);
  });

  it('spots overfitting and names the epoch to stop at', () => {
    const history = curves(100, {
      loss: decay(0.85, 0.05, 15),
      val_loss: (epoch) => decay(0.9, 0.4, 10)(epoch) + 0.004 * Math.max(0, epoch - 30),
    });
    const advice = adviseFromCurves(history, classification);
    assert.equal(advice.diagnosis, 'overfitting');
    assert.equal(advice.evidence.bestEpoch, 31);
    assert.equal(
      advice.nextStep,
      'Add dropout 0.2 (or l2 0.001), or stop earlier at epoch 31 (earlyStopping with patience 10).',
    );
  });

  it('suggests more dropout when the run already had some', () => {
    const history = curves(60, {
      loss: decay(0.85, 0.05, 10),
      val_loss: (epoch) => decay(0.9, 0.4, 6)(epoch) + 0.01 * Math.max(0, epoch - 20),
    });
    const advice = adviseFromCurves(history, { ...classification, dropout: 0.1 });
    assert.equal(advice.diagnosis, 'overfitting');
    assert.match(advice.nextStep, /^Add dropout 0\.3 /);
  });

  it('calls a NaN loss diverging and suggests a tenth of the learning rate', () => {
    const history = [0.7, 0.65, 3.2, Number.NaN, Number.NaN, Number.NaN].map((loss) => ({ loss }));
    const advice = adviseFromCurves(history, { ...classification, learningRate: 0.01 });
    assert.equal(advice.diagnosis, 'diverging');
    assert.equal(advice.evidence.nonFiniteEpoch, 4);
    assert.match(advice.nextStep, /^Lower learningRate to 0\.001/);
  });

  it('calls a rising training loss diverging', () => {
    const history = curves(20, { loss: (epoch) => 0.7 + 0.2 * epoch });
    const advice = adviseFromCurves(history, classification);
    assert.equal(advice.diagnosis, 'diverging');
    assert.match(advice.message, /rose from 0\.7 to 4\.5/);
  });

  it('calls a flat loss at chance accuracy underfitting', () => {
    const history = curves(50, { loss: (epoch) => 0.6931 - 0.00001 * epoch, acc: () => 0.53 });
    const advice = adviseFromCurves(history, {
      ...classification,
      baselineAccuracy: 0.534,
      learningRate: 0.001,
    });
    assert.equal(advice.diagnosis, 'underfitting');
    assert.match(advice.message, /no better than always predicting the most common class \(0\.534\)/);
    assert.equal(
      advice.nextStep,
      'Use a bigger model (double the units or add a layer), or raise learningRate to 0.003.',
    );
  });

  it('calls a loss stuck near a constant prediction underfitting even after an early fall', () => {
    const history = curves(50, { loss: decay(1.2, 0.64, 3) });
    assert.equal(adviseFromCurves(history, classification).diagnosis, 'plateau');
    const advice = adviseFromCurves(history, { ...classification, baselineLoss: 0.69 });
    assert.equal(advice.diagnosis, 'underfitting');
    assert.equal(advice.evidence.baselineLoss, 0.69);
  });

  it('calls an early flat curve a plateau and suggests a lower learning rate or fewer epochs', () => {
    const history = curves(100, { loss: decay(1, 0.3, 5), val_loss: decay(1.05, 0.35, 5) });
    const advice = adviseFromCurves(history, { ...classification, learningRate: 0.001 });
    assert.equal(advice.diagnosis, 'plateau');
    assert.ok(advice.evidence.settledEpoch < 30, `settled at ${advice.evidence.settledEpoch}`);
    assert.match(
      advice.nextStep,
      /^Try lower learningRate to 0\.0003 to settle lower, or cut epochs to \d+ to save time\.$/,
    );
  });

  it('does not mistake epoch-to-epoch noise in a converged curve for overfitting', () => {
    const random = createRng(11);
    const noisy = (shape: (epoch: number) => number) => (epoch: number) =>
      shape(epoch) * (1 + 0.03 * (random() - 0.5));
    const history = curves(100, { loss: noisy(decay(1, 0.3, 20)), val_loss: noisy(decay(1.05, 0.34, 20)) });
    assert.equal(adviseFromCurves(history, classification).diagnosis, 'good-fit');
  });

  it('says a run of three epochs is too short to read', () => {
    const advice = adviseFromCurves(curves(3, { loss: decay(1, 0.3, 2) }), classification);
    assert.equal(advice.diagnosis, 'too-short');
    assert.equal(advice.nextStep, 'Raise epochs to at least 20.');
  });

  it('says there is no curve when a classic model recorded no epochs', () => {
    const advice = adviseFromCurves([], { task: 'regression', metric: 'rmse', higherIsBetter: false });
    assert.equal(advice.diagnosis, 'too-short');
    assert.match(advice.message, /no training loss/);
  });
});
