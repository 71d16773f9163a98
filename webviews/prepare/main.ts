/**
 * Prepare panel (step 2): the pipeline fitted on fold 1's training part, the shapes the models will see, and each
 * feature's statistics before (raw columns) and after (model-ready features).
 */
import type {
  PreparationPreview,
  PrepareMessage,
  PreviewFeatureAfter,
  PreviewFeatureBefore,
} from '../../src/protocol/panels';
import { columnFormat } from '../../src/shared/format';
import { assertNever, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';

interface Ui {
  beforeSort?: TableSort;
  afterSort?: TableSort;
}

type State = PreparationPreview | undefined;

type PreparePanel = Panel<State, Ui, Record<string, never>>;

type Statistic = 'mean' | 'std' | 'min' | 'max';

/** "120 × 60": a shape in words. */
function shape(dimensions: readonly number[]): string {
  return dimensions.join(' × ');
}

/** The pipeline's steps and the shapes of fold 1's parts. */
function summaryCard(preview: PreparationPreview): HTMLElement {
  const parts: Array<[string, { x: number[]; y: number[] }]> = [
    ['training', preview.shapes.train],
    ['validation', preview.shapes.validation],
  ];
  return h(
    'section',
    { class: 'card', 'data-role': 'pipeline' },
    h(
      'h2',
      {},
      `${preview.candidatePipelines ? "The project's preparation" : 'Preparation'} fitted on fold ${preview.fold + 1}'s training part`,
    ),
    h(
      'ol',
      { 'data-role': 'steps' },
      ...(preview.describe.length > 0 ? preview.describe : ['no preparation steps']).map((step) =>
        h('li', {}, step),
      ),
    ),
    h(
      'table',
      { 'data-table': 'shapes' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'Part'), h('th', {}, 'Features (x)'), h('th', {}, 'Target (y)')),
      ),
      h(
        'tbody',
        {},
        ...parts.map(([part, shapes]) =>
          h(
            'tr',
            { 'data-part': part },
            h('td', {}, part),
            h('td', { 'data-key': 'x', class: 'numeric' }, shape(shapes.x)),
            h('td', { 'data-key': 'y', class: 'numeric' }, shape(shapes.y)),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'facts' },
      `Target ${preview.target} (${preview.task})`,
      preview.classes ? ` · classes ${preview.classes.join(', ')}` : '',
    ),
  );
}

/** Mean, std, min and max columns; each row's statistics in one notation (3 significant digits of its largest). */
function statistics<Row extends Partial<Record<Statistic, number>>>(): Array<TableColumn<Row>> {
  const titles: Record<Statistic, string> = { mean: 'Mean', std: 'Std', min: 'Min', max: 'Max' };
  return (['mean', 'std', 'min', 'max'] as const).map((key) => ({
    key,
    title: titles[key],
    value: (row: Row) => row[key],
    format: (row: Row) => columnFormat([row.mean, row.std, row.min, row.max])(row[key]),
    numeric: true,
  }));
}

function table<Row>(
  panel: PreparePanel,
  title: string,
  name: 'before' | 'after',
  columns: Array<TableColumn<Row>>,
  rows: Row[],
): HTMLElement {
  const key = name === 'before' ? 'beforeSort' : 'afterSort';
  const sortable = new SortableTable<Row>(panel, title, columns, panel.ui[key], {
    name,
    onSort: (sort) => {
      panel.ui[key] = sort;
      panel.saveState();
    },
  });
  sortable.setRows(rows);
  return sortable.element;
}

function beforeTable(panel: PreparePanel, preview: PreparationPreview): HTMLElement {
  const columns: Array<TableColumn<PreviewFeatureBefore>> = [
    {
      key: 'name',
      title: 'Column',
      value: (row) => row.name,
      format: (row) => (row.role === 'target' ? `${row.name} (target)` : row.name),
    },
    { key: 'type', title: 'Type', value: (row) => row.type },
    { key: 'missing', title: 'Missing', value: (row) => row.missing, numeric: true },
    { key: 'distinct', title: 'Distinct', value: (row) => row.distinct, numeric: true },
    ...statistics<PreviewFeatureBefore>(),
  ];
  return table(panel, 'Before: raw columns', 'before', columns, preview.before);
}

function afterTable(panel: PreparePanel, preview: PreparationPreview): HTMLElement {
  const columns: Array<TableColumn<PreviewFeatureAfter>> = [
    { key: 'name', title: 'Feature', value: (row) => row.name },
    ...statistics<PreviewFeatureAfter>(),
  ];
  const features = preview.shapes.train.x.at(-1) ?? preview.after.length;
  const title =
    features > preview.after.length
      ? `After: ${preview.after.length} of ${features} model-ready features`
      : 'After: model-ready features';
  return table(panel, title, 'after', columns, preview.after);
}

/** The candidates' own pipelines (their `prepare`): who uses which steps, and the shapes their models see. */
function candidatePipelinesCard(preview: PreparationPreview): HTMLElement | undefined {
  const pipelines = preview.candidatePipelines;
  if (!pipelines || pipelines.length === 0) return undefined;
  return h(
    'section',
    { class: 'card', 'data-role': 'candidate-pipelines' },
    h('h2', {}, 'Candidates with their own pipeline'),
    h('p', {}, 'These candidates\' "prepare" replaces the project\'s, fitted on the same fold:'),
    ...pipelines.map((pipeline) =>
      h(
        'div',
        { 'data-candidates': pipeline.candidates.join(',') },
        h('h3', {}, pipeline.candidates.join(', ')),
        h(
          'ol',
          {},
          ...(pipeline.describe.length > 0 ? pipeline.describe : ['no preparation steps']).map((step) =>
            h('li', {}, step),
          ),
        ),
        h(
          'p',
          { class: 'facts' },
          `Training x ${shape(pipeline.shapes.train.x)} · validation x ${shape(pipeline.shapes.validation.x)}`,
        ),
      ),
    ),
  );
}

function render(panel: PreparePanel): void {
  const preview = panel.state;
  if (!preview) return;
  replaceChildren(
    panel.content,
    summaryCard(preview),
    candidatePipelinesCard(preview),
    beforeTable(panel, preview),
    afterTable(panel, preview),
  );
}

function reduce(_state: State, message: PrepareMessage): State {
  switch (message.type) {
    case 'prepare/snapshot':
      return message.preview;
    default:
      return assertNever(message.type);
  }
}

definePanel<PrepareMessage, State, Ui, Record<string, never>>({
  kind: 'prepare',
  defaultUi: {},
  initial: undefined,
  reduce,
  view: () => ({}),
  render,
  themeChanged: () => undefined,
});
