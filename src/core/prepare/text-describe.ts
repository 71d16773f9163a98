/** Plain words for the fitted text ops, cut documents included (the preview of step 2 shows them). */
import type { TokenizeSettings } from '../text/tokenize';
import type { CutReport, TextOpState } from './text';

function tokenizerWords(settings: TokenizeSettings): string {
  const parts = [settings.lowercase ? 'lower-cased words' : 'words'];
  const [low, high] = settings.ngrams;
  if (high > 1) parts.push(`word n-grams of ${low} to ${high}`);
  if (settings.charNgrams)
    parts.push(`character n-grams of ${settings.charNgrams[0]} to ${settings.charNgrams[1]}`);
  if (settings.stopWords) parts.push(`"${settings.stopWords}" stop words removed`);
  return parts.join(', ');
}

/** "37 of 4800 training documents cut at 2000 words (the longest has 5123)", or that none was. */
export function describeCut(report: CutReport, limit: number, unit: string): string {
  if (report.cut === 0)
    return `no training document is longer than ${limit} ${unit} (the longest has ${report.longest})`;
  return `${report.cut} of ${report.documents} training documents cut at ${limit} ${unit} (the longest has ${report.longest})`;
}

/** One line per fitted text op. */
export function describeTextStep(step: TextOpState): string {
  const columns = step.columns.join(', ');
  switch (step.op) {
    case 'tokenize':
      return `tokenize: ${columns} → ${tokenizerWords(step.settings)}; ${describeCut(step, step.settings.maxWords, 'words')}.`;
    case 'sequences': {
      const parts = step.columns.map(
        (name, index) =>
          `${name} → ${step.length} token ids from a vocabulary of ${step.vocabularies[index].length} (0 pads, 1 is a word outside it); ${describeCut(step.reports[index], step.length, 'tokens')}`,
      );
      return `sequences: ${parts.join('; ')}.`;
    }
    case 'tfidf':
    case 'counts': {
      const what =
        step.op === 'tfidf'
          ? `TF-IDF weights${step.sublinear ? ' (1 + log tf)' : ''}, rows scaled to length 1`
          : step.binary
            ? 'presence (0 or 1)'
            : 'token counts';
      const parts = step.columns.map((name, index) => {
        const tokenizer = step.tokenizers[index];
        const report = step.reports[index];
        const cut =
          tokenizer && report
            ? `; ${tokenizerWords(tokenizer)}, ${describeCut(report, tokenizer.maxWords, 'words')}`
            : '';
        return `${name} → ${step.vocabularies[index].length} sparse features${cut}`;
      });
      return `${step.op}: ${parts.join('; ')}; ${what}.`;
    }
  }
}
