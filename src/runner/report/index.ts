/**
 * `renderReport`: the portfolio-ready report of step 5. Gathers what every step recorded, draws the charts,
 * and writes `report/REPORT.md` (with the PNGs beside it) and a self-contained `report/report.html`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TopdownError } from '../../core/errors';
import { isInsideFolder } from '../../core/paths';
import { loadProject } from '../../core/project';
import { renderHtml } from '../../core/report/html';
import { renderMarkdown } from '../../core/report/markdown';
import {
  REPORT_CHART_FILES,
  type ReportChartName,
  type ReportChartSources,
  type ReportData,
} from '../../core/report/types';
import { writeFileAtomic } from '../../core/runs/files';
import { RunStore } from '../../core/runs/store';
import { TOPDOWN_VERSION } from '../version';
import { renderCharts, type CanvasModule } from './charts';
import { buildReportData } from './gather';
import { renderImageGrids } from './image-grids';

export { buildReportData, describeValidation, type BuildReportOptions } from './gather';
export { renderCharts, loadCanvasModule, type CanvasModule, type RenderedCharts } from './charts';

/** Options of renderReport. */
export interface RenderReportOptions {
  /** Folder to write into. Default: `<project>/report`. */
  outDir?: string;
  /** The report's time. Default: now. */
  now?: Date;
  /** The canvas module to draw with, or a reason it is missing (tests). Default: @napi-rs/canvas. */
  canvas?: CanvasModule | { reason: string };
}

/** What renderReport wrote. */
export interface RenderedReport {
  /** Absolute path of REPORT.md. */
  markdown: string;
  /** Absolute path of report.html. */
  html: string;
  /** Absolute paths of the chart PNGs written (empty when the canvas could not be loaded). */
  charts: string[];
  /** Why the report has no images, when it has none that it should have. */
  chartsUnavailable?: string;
  /** The data the report shows. */
  data: ReportData;
}

/**
 * Writes the report of the project in `projectDir` (a folder holding topdown.json). Steps that have not run
 * appear as "not run yet". Throws only for a project that cannot be loaded (PROJECT_NOT_FOUND,
 * PROJECT_INVALID) and for a report file that is a link leading outside (PATH_OUTSIDE_PROJECT); a missing chart renderer gives a report without images, said in the report and in the
 * result.
 */
export async function renderReport(
  projectDir: string,
  options: RenderReportOptions = {},
): Promise<RenderedReport> {
  const project = await loadProject(projectDir);
  const store = new RunStore(project.dir);
  const data = buildReportData(store, project, { topdownVersion: TOPDOWN_VERSION, now: options.now });
  const outDir = resolve(options.outDir ?? join(project.dir, 'report'));
  // Every file is written inside the project (or the folder asked for): never through a link leading out.
  const inside = (file: string) => checkInside(options.outDir ? outDir : project.dir, file);
  inside(outDir);
  mkdirSync(outDir, { recursive: true });

  const rendered = await renderCharts(data, options.canvas);
  if (rendered.unavailable) data.chartsUnavailable = rendered.unavailable;
  Object.assign(rendered.images, renderImageGrids(data));
  const relativePaths: ReportChartSources = {};
  const dataUris: ReportChartSources = {};
  const charts: string[] = [];
  for (const name of Object.keys(REPORT_CHART_FILES) as ReportChartName[]) {
    const file = inside(join(outDir, REPORT_CHART_FILES[name]));
    const image = rendered.images[name];
    if (!image) {
      // A chart from an earlier report would no longer match the numbers beside it.
      if (existsSync(file)) rmSync(file);
      continue;
    }
    writeFileAtomic(file, image);
    charts.push(file);
    relativePaths[name] = REPORT_CHART_FILES[name];
    dataUris[name] = `data:image/png;base64,${image.toString('base64')}`;
  }

  const markdown = inside(join(outDir, 'REPORT.md'));
  const html = inside(join(outDir, 'report.html'));
  writeFileAtomic(markdown, renderMarkdown(data, relativePaths));
  writeFileAtomic(html, renderHtml(data, dataUris));
  const result: RenderedReport = { markdown, html, charts, data };
  if (rendered.unavailable) result.chartsUnavailable = rendered.unavailable;
  return result;
}

/** `file` when it (links followed, dangling ones too) lies inside `root`; PATH_OUTSIDE_PROJECT otherwise. */
function checkInside(root: string, file: string): string {
  if (isInsideFolder(root, file)) return file;
  throw new TopdownError(
    'PATH_OUTSIDE_PROJECT',
    `The report will not write ${file}: a link there leads outside ${root}.`,
    {
      file,
      hint: 'Remove the link (report files are rewritten each time), then run `topdown report` again.',
    },
  );
}
