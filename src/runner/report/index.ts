/**
 * `renderReport`: the portfolio-ready report of step 5. Gathers what every step recorded, draws the charts,
 * and writes `report/REPORT.md` (with the PNGs beside it) and a self-contained `report/report.html`.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
 * PROJECT_INVALID); a missing chart renderer gives a report without images, said in the report and in the
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
  mkdirSync(outDir, { recursive: true });

  const rendered = await renderCharts(data, options.canvas);
  if (rendered.unavailable) data.chartsUnavailable = rendered.unavailable;
  const relativePaths: ReportChartSources = {};
  const dataUris: ReportChartSources = {};
  const charts: string[] = [];
  for (const name of Object.keys(REPORT_CHART_FILES) as ReportChartName[]) {
    const file = join(outDir, REPORT_CHART_FILES[name]);
    const image = rendered.images[name];
    if (!image) {
      // A chart from an earlier report would no longer match the numbers beside it.
      if (existsSync(file)) rmSync(file);
      continue;
    }
    writeFileSync(file, image);
    charts.push(file);
    relativePaths[name] = REPORT_CHART_FILES[name];
    dataUris[name] = `data:image/png;base64,${image.toString('base64')}`;
  }

  const markdown = join(outDir, 'REPORT.md');
  const html = join(outDir, 'report.html');
  writeFileAtomic(markdown, renderMarkdown(data, relativePaths));
  writeFileAtomic(html, renderHtml(data, dataUris));
  const result: RenderedReport = { markdown, html, charts, data };
  if (rendered.unavailable) result.chartsUnavailable = rendered.unavailable;
  return result;
}
