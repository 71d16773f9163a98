/**
 * "New project from my images": proposes a `topdown.json` for an image folder (or IDX files) loaded through
 * the data-source seam, and explains each choice: the size from the images, the classes from the folder names,
 * then the validation, holdout and candidates the table planner would choose for the same shape.
 */
import { basename } from 'node:path';
import type { ProblemConfig, ProjectConfig } from '../config';
import type { Table } from '../data/table';
import { IMAGE_LABEL_COLUMN } from '../data/source';
import { TopdownError } from '../errors';
import { HOLDOUT_MIN_ROWS, planCandidates, planImprove, planValidation, type PlanChoice } from './candidates';
import { classCounts } from './task';
import type { ProjectPlan } from './plan';

/** Options of {@link planImageProject}. */
export interface ImagePlanOptions {
  /** Where the images will live, relative to the project folder. */
  dataPath: string;
  /** Project name. Default: the folder's name. */
  name?: string;
}

/** Proposes a project for the images of `table` (an image source's table). */
export function planImageProject(table: Table, options: ImagePlanOptions): ProjectPlan {
  const images = table.images;
  if (!images) {
    throw new TopdownError('INTERNAL', `${table.file} was planned as images but holds none.`);
  }
  const counts = classCounts(table, IMAGE_LABEL_COLUMN);
  const classes = [...counts.keys()];
  const choices: PlanChoice[] = [
    {
      topic: 'task',
      choice: `image classification of ${classes.length} classes: ${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''}`,
      why: 'Each subfolder of the image folder is a class, named by the folder; the target is the column "label" that holds it.',
    },
    {
      topic: 'metric',
      choice: 'accuracy',
      why: balanced(counts)
        ? 'The classes are about equally large, so the share of correct predictions is a fair summary.'
        : 'The share of correct predictions; the classes differ in size, so look at the per-class recall in the confusion matrix too.',
    },
    {
      topic: 'prepare',
      choice: `image op: ${images.rows} × ${images.cols} × ${images.channels}, bytes divided by 255`,
      why: `The first image is ${images.cols} × ${images.rows} pixels${images.channels === 1 ? ' and grey' : ' in colour'}; every image is resized to that size (change rows and cols to resize them all, e.g. to 32 × 32 for speed) and read as ${images.channels === 1 ? 'grey (channels 1)' : 'RGB (channels 3)'}.`,
    },
  ];
  const problem: ProblemConfig = {
    data: options.dataPath,
    target: IMAGE_LABEL_COLUMN,
    task: 'image',
    metric: 'accuracy',
  };
  const holdout = table.rowCount >= HOLDOUT_MIN_ROWS;
  if (holdout) problem.holdout = 0.2;
  choices.push({
    topic: 'holdout',
    choice: holdout ? '20% of the images held out for step 5' : 'no holdout',
    why: holdout
      ? `With ${table.rowCount} images there is enough to keep a fifth aside, unseen by steps 1–4, for an honest final score.`
      : `With ${table.rowCount} images every one is needed for cross-validation; add "holdout": 0.2 to problem once you have 500 or more.`,
  });
  const shape = {
    task: 'image' as const,
    rows: Math.round(table.rowCount * (holdout ? 0.8 : 1)),
    features: images.rows * images.cols * images.channels,
    classes: counts.size,
    smallestClass: Math.min(...counts.values()),
    imageSide: Math.max(images.rows, images.cols),
  };
  const { validation, choice } = planValidation(shape);
  choices.push(choice);
  const { candidates, choices: candidateChoices } = planCandidates(shape);
  choices.push(...candidateChoices, {
    topic: 'improve',
    choice: 'random search over mlp-small; average of mlp-small and the random forest',
    why: 'Tune the network that is cheap to train first, then see whether two different kinds of model do better together.',
  });
  const name = options.name ?? basename(table.file);
  const config: ProjectConfig = {
    name,
    description: `Image classification: ${classes.length} classes from ${table.rowCount} images of ${images.cols}×${images.rows} pixels.`,
    problem,
    prepare: [{ op: 'image', rows: images.rows, cols: images.cols, channels: images.channels, scale: 255 }],
    evaluate: { validation, seed: 7, candidates },
    improve: planImprove(candidates),
    present: { predictions: true, report: true },
  };
  return { config, choices, columns: [] };
}

function balanced(counts: Map<string, number>): boolean {
  const sizes = [...counts.values()];
  return Math.min(...sizes) >= 0.5 * Math.max(...sizes);
}
