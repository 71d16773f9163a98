/** The standard datasets as the templates ship them (copied from ../shared/datasets; see each template's README). */
import { join, resolve } from 'node:path';

const templates = resolve(__dirname, '..', '..', 'templates');

const files: Record<string, string> = {
  iris: 'iris/data/iris.csv',
  pima_diabetes: 'pima/data/pima_diabetes.csv',
  sonar: 'sonar/data/sonar.csv',
  auto_mpg: 'auto-mpg/data/auto_mpg.csv',
  digits: 'digits/data/digits.csv',
  airline_passengers: 'airline/data/airline_passengers.csv',
};

/** Path of a standard dataset by its file name without `.csv` (e.g. `pima_diabetes`). */
export function datasetPath(name: string): string {
  const file = files[name.replace(/\.csv$/, '')];
  if (!file) throw new Error(`No template ships the dataset "${name}".`);
  return join(templates, file);
}
