/**
 * Messages between the VS Code host and the result panels (webviews). Each panel has its own file
 * (`panel-<kind>.ts`) with the host → webview messages it renders; this file holds the handshake, the
 * requests a webview may send (the host validates every one before acting) and the unions per panel.
 */
import type { CompareMessage } from './panel-compare';
import type { EvaluateMessage } from './panel-evaluate';
import type { FinalMessage } from './panel-final';
import type { ImproveMessage } from './panel-improve';
import type { PrepareMessage } from './panel-prepare';
import type { ProfileMessage } from './panel-profile';
import type { TrainingMessage } from './panel-training';

export type * from './panel-compare';
export type * from './panel-evaluate';
export type * from './panel-final';
export type * from './panel-improve';
export type * from './panel-prepare';
export type * from './panel-profile';
export type * from './panel-training';

/** Bumped whenever a panel message changes shape. */
export const PANEL_PROTOCOL_VERSION = 1;

/** The seven result panels; each is built from `webviews/<kind>/main.ts` into `dist/webviews/<kind>.js`. */
export type PanelKind = 'training' | 'evaluate' | 'improve' | 'profile' | 'prepare' | 'compare' | 'final';

/** Every panel kind, in menu order. */
export const PANEL_KINDS: readonly PanelKind[] = [
  'training',
  'evaluate',
  'improve',
  'profile',
  'prepare',
  'compare',
  'final',
];

/** The webview view type of a panel kind (also its `onWebviewPanel:` activation event). */
export function panelViewType(kind: PanelKind): string {
  return `topdown.panel.${kind}`;
}

/** What a panel shows; kept in the webview state so the serializer can reopen it after a reload. */
export interface PanelContext {
  kind: PanelKind;
  /** Absolute project folder. */
  projectDir: string;
  /** The runs shown (one for most panels; several for compare; empty for a session-wide evaluate). */
  runIds: string[];
  /** Evaluate and live training: the session (one `topdown evaluate`) the panel follows. */
  session?: string;
}

/** Host → webview, the same for every panel. */
export type CommonPanelMessage =
  /** Sent right after `panel/ready`, before the snapshot: what the panel shows. */
  | { type: 'panel/context'; context: PanelContext; title: string }
  /** A request finished; shown as a short status line (e.g. "Saved report/evaluate.png"). */
  | { type: 'panel/notice'; level: 'info' | 'warn' | 'error'; message: string };

/** Host → training panel. */
export type ToTrainingPanel = CommonPanelMessage | TrainingMessage;
/** Host → evaluate panel. */
export type ToEvaluatePanel = CommonPanelMessage | EvaluateMessage;
/** Host → improve panel. */
export type ToImprovePanel = CommonPanelMessage | ImproveMessage;
/** Host → profile panel. */
export type ToProfilePanel = CommonPanelMessage | ProfileMessage;
/** Host → prepare panel. */
export type ToPreparePanel = CommonPanelMessage | PrepareMessage;
/** Host → compare panel. */
export type ToComparePanel = CommonPanelMessage | CompareMessage;
/** Host → final results panel. */
export type ToFinalPanel = CommonPanelMessage | FinalMessage;
/** Anything the host posts to a panel. */
export type ToPanel =
  | CommonPanelMessage
  | TrainingMessage
  | EvaluateMessage
  | ImproveMessage
  | ProfileMessage
  | PrepareMessage
  | CompareMessage
  | FinalMessage;

/**
 * Webview → host. The host validates shape, sizes and names before acting; no message carries a path, so a
 * panel can never make the host read or write outside the project.
 */
export type FromPanel =
  /** First message once the panel's script has loaded; the host answers with context then a snapshot. */
  | { type: 'panel/ready'; protocolVersion: number }
  /** Save a chart: a PNG data URL written as `report/<fileName>` in the project (a plain `*.png` name). */
  | { type: 'panel/savePng'; fileName: string; dataUrl: string }
  /** Copy text (a table as CSV) to the clipboard. */
  | { type: 'panel/copyText'; text: string; what: string }
  /** Open the training curves of one run of this project (evaluate: a candidate was clicked). */
  | { type: 'panel/openRun'; runId: string }
  /** A script error in the panel, for the host's log. */
  | { type: 'panel/error'; message: string }
  /** Improve: write the kept trial's parameters into `topdown.json`; the host shows the diff first and refuses any trial but the kept one. */
  | { type: 'improve/useTrial'; trialIndex: number }
  /** Final results: open the report or the model folder of the shown run. */
  | { type: 'final/open'; target: 'report' | 'model' }
  /** Final results: "Predict…" — run Topdown: Predict with Model… with the shown run's model. */
  | { type: 'final/predict' }
  /** Evaluate: "Next: Improve <candidate>…" — run step 4 on this project (the host asks first). */
  | { type: 'evaluate/improve'; candidate: string };

/** The `type` of every message a webview may send; the host refuses anything else. */
export const FROM_PANEL_TYPES: readonly FromPanel['type'][] = [
  'panel/ready',
  'panel/savePng',
  'panel/copyText',
  'panel/openRun',
  'panel/error',
  'improve/useTrial',
  'final/open',
  'final/predict',
  'evaluate/improve',
];

/** Significance test outcome of one candidate against the baseline and against the best (step 4). */
export interface CandidateVerdict {
  candidate: string;
  /** The candidate beats the baseline with p below alpha. */
  betterThanBaseline: boolean;
  /** p-value of the test against the baseline. */
  pBaseline: number;
  /** The candidate cannot be told apart from the best one (p at or above alpha); true for the best itself. */
  indistinguishableFromBest: boolean;
  /** p-value of the test against the best candidate (1 for the best itself). */
  pBest: number;
}

/** The verdicts of one significance test over the candidates of a session or a tuning run. */
export interface SignificanceVerdicts {
  /** Name of the test, e.g. "corrected resampled t-test". */
  test: string;
  alpha: number;
  /** Name of the best candidate by mean score. */
  best: string;
  verdicts: CandidateVerdict[];
}
