/** The dataset credit of a project, taken from its README.md. */

interface Section {
  title: string;
  level: number;
  body: string[];
}

function sections(readme: string): Section[] {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const headings: Array<{ line: number; level: number; title: string }> = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) headings.push({ line: index, level: heading[1].length, title: heading[2] });
  });
  // A section runs to the next heading of the same or a higher level; deeper headings belong to it.
  return headings.map((heading, index) => {
    const next = headings.slice(index + 1).find((other) => other.level <= heading.level);
    return {
      title: heading.title,
      level: heading.level,
      body: lines.slice(heading.line + 1, next ? next.line : lines.length),
    };
  });
}

/**
 * The body of the README section that credits the data, as markdown: the first section whose heading
 * contains "Credit"; else one whose heading names the data ("Data", "Dataset", "Data source") and is not a
 * numbered step ("2. Prepare Data"). Undefined when there is none or it is empty.
 */
export function extractCredit(readme: string): string | undefined {
  const all = sections(readme);
  const credit =
    all.find((section) => /credit/i.test(section.title)) ??
    all.find((section) => /\bdata(set)?s?\b/i.test(section.title) && !/^\d+[.)]/.test(section.title.trim()));
  const body = credit?.body.join('\n').trim();
  return body ? body : undefined;
}
