/**
 * JSON text with positions: parses `topdown.json` strictly (no comments, no trailing commas) into a tree that
 * maps JSON pointers to 1-based line/character ranges, so every problem can point at the text an editor shows.
 */
import { getLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';

/**
 * One problem in a project file, as the Problems panel shows it. Lines and characters are 1-based (an
 * editor's Position is these minus one); characters count UTF-16 code units, as VS Code does. The end is
 * exclusive: `endCharacter` is the character just after the range.
 */
export interface ProjectProblem {
  message: string;
  /** JSON pointer of the field at fault, e.g. `/evaluate/candidates/2/epochs` (`''` is the whole file). */
  field: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  severity: 'error' | 'warning';
}

/** A 1-based, end-exclusive text range. */
export type TextRange = Pick<ProjectProblem, 'line' | 'character' | 'endLine' | 'endCharacter'>;

/** A parsed JSON document that can locate JSON pointers in its text. */
export class JsonText {
  /** The syntax tree; undefined when the text holds no value at all. */
  readonly root: Node | undefined;
  /** Syntax problems, in text order; empty when the text is valid JSON. */
  readonly syntaxProblems: ProjectProblem[];
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let index = 0; index < text.length; index++) {
      if (text.charCodeAt(index) === 10) this.lineStarts.push(index + 1);
    }
    const errors: ParseError[] = [];
    this.root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    // One problem per position: after a trailing comma the parser reports both a missing name and a
    // missing value at the same place.
    const offsets = new Set<number>();
    this.syntaxProblems = errors
      .filter((error) => !offsets.has(error.offset) && offsets.add(error.offset))
      .map((error) => this.syntaxProblem(error));
  }

  /** The document as plain JSON (the last of duplicate keys wins, as in JSON.parse). */
  value(): unknown {
    return this.root ? getNodeValue(this.root) : undefined;
  }

  /** 1-based line and character of a text offset. */
  position(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, character: offset - this.lineStarts[low] + 1 };
  }

  /** The 1-based range of `length` characters from `offset`. */
  range(offset: number, length: number): TextRange {
    const start = this.position(offset);
    const end = this.position(offset + Math.max(length, 0));
    return { line: start.line, character: start.character, endLine: end.line, endCharacter: end.character };
  }

  /** The value node at a JSON pointer, or undefined when it does not exist. */
  nodeAt(pointer: string): Node | undefined {
    let node = this.root;
    for (const segment of parsePointer(pointer)) {
      if (!node) return undefined;
      if (node.type === 'object') {
        const property = findProperty(node, segment);
        node = property?.children?.[1];
      } else if (node.type === 'array' && /^\d+$/.test(segment)) {
        node = node.children?.[Number(segment)];
      } else {
        return undefined;
      }
    }
    return node;
  }

  /**
   * Where to underline a problem about the field at `pointer`: its key (`"epochs"`) when `part` is `key` and
   * the field is an object property, else its value. A pointer that does not exist falls back to the nearest
   * existing parent's key, so a problem is never lost for want of a position.
   */
  rangeOf(pointer: string, part: 'key' | 'value' = 'value'): TextRange {
    const segments = parsePointer(pointer);
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = this.nodeAt(toPointer(segments.slice(0, depth)));
      if (!node) continue;
      const exact = depth === segments.length;
      const property = node.parent?.type === 'property' ? node.parent : undefined;
      if (property?.children?.[0] && (!exact || part === 'key')) {
        const key = property.children[0];
        return this.range(key.offset, key.length);
      }
      // A whole object or array is too big to underline: mark its opening bracket only.
      if (node.type === 'object' || node.type === 'array') return this.range(node.offset, 1);
      return this.range(node.offset, node.length);
    }
    return this.range(0, 0);
  }

  /** Object keys that appear twice in the same object, with the pointer of the later one. */
  duplicateKeys(): Array<{ pointer: string; key: string; range: TextRange }> {
    const found: Array<{ pointer: string; key: string; range: TextRange }> = [];
    const visit = (node: Node, segments: string[]): void => {
      if (node.type === 'object') {
        const seen = new Set<string>();
        for (const property of node.children ?? []) {
          const [key, value] = property.children ?? [];
          if (!key || typeof key.value !== 'string') continue;
          if (seen.has(key.value)) {
            found.push({
              pointer: toPointer([...segments, key.value]),
              key: key.value,
              range: this.range(key.offset, key.length),
            });
          }
          seen.add(key.value);
          if (value) visit(value, [...segments, key.value]);
        }
      } else if (node.type === 'array') {
        (node.children ?? []).forEach((child, index) => visit(child, [...segments, String(index)]));
      }
    };
    if (this.root) visit(this.root, []);
    return found;
  }

  private syntaxProblem(error: ParseError): ProjectProblem {
    const location = getLocation(this.text, error.offset);
    const segments = location.path.map(String);
    while (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
    const message = syntaxMessage(printParseErrorCode(error.error), this.text, error.offset);
    const comma = previousSignificant(this.text, error.offset);
    const trailingComma = comma.character === ',' && message.startsWith('trailing comma');
    // After a trailing comma in an array the parser's path names the item that is not there.
    if (trailingComma && typeof location.path[location.path.length - 1] === 'number') segments.pop();
    // A trailing comma is reported where the next token starts; underline the comma itself.
    const range = trailingComma
      ? this.range(comma.offset, 1)
      : this.range(error.offset, Math.max(error.length, 1));
    return { message, field: toPointer(segments), severity: 'error', ...range };
  }
}

/** Splits a JSON pointer into unescaped segments (`~1` is `/`, `~0` is `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins segments into a JSON pointer, escaping `~` and `/`. */
export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function findProperty(object: Node, key: string): Node | undefined {
  let match: Node | undefined;
  // The last duplicate wins, as in JSON.parse and getNodeValue.
  for (const property of object.children ?? []) {
    if (property.children?.[0]?.value === key) match = property;
  }
  return match;
}

/** The previous character that is not white space, to recognise a trailing comma. */
function previousSignificant(text: string, offset: number): { character: string; offset: number } {
  for (let index = offset - 1; index >= 0; index--) {
    if (!/\s/.test(text[index])) return { character: text[index], offset: index };
  }
  return { character: '', offset: 0 };
}

function syntaxMessage(code: string, text: string, offset: number): string {
  const trailingComma = previousSignificant(text, offset).character === ',';
  switch (code) {
    case 'PropertyNameExpected':
      return trailingComma
        ? 'trailing comma: JSON allows no comma after the last field of an object'
        : 'expected a field name in double quotes';
    case 'ValueExpected':
      if (text.trim() === '') return 'topdown.json is empty: it must hold a JSON object';
      return trailingComma
        ? 'trailing comma: JSON allows no comma after the last item of an array'
        : 'expected a value (a string in double quotes, number, true, false, null, object or array)';
    case 'ColonExpected':
      return 'expected a colon `:` after the field name';
    case 'CommaExpected':
      return 'expected a comma `,` between items';
    case 'CloseBraceExpected':
      return 'expected `}` to close the object';
    case 'CloseBracketExpected':
      return 'expected `]` to close the array';
    case 'EndOfFileExpected':
      return 'unexpected text after the end of the JSON object';
    case 'InvalidCommentToken':
      return 'comments are not allowed: topdown.json is plain JSON (use the "description" field for notes)';
    case 'UnexpectedEndOfComment':
      return 'unterminated comment (comments are not allowed in topdown.json)';
    case 'UnexpectedEndOfString':
      return 'unterminated string: a closing double quote is missing';
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return 'invalid number';
    case 'InvalidUnicode':
      return 'invalid unicode escape (use \\uXXXX with four hex digits)';
    case 'InvalidEscapeCharacter':
      return 'invalid escape in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)';
    case 'InvalidCharacter':
      return 'invalid character in a string (control characters such as tabs and new lines must be escaped)';
    case 'InvalidSymbol':
      return "invalid symbol: strings and field names need double quotes, and JSON has no 'single quotes'";
    default:
      return `invalid JSON (${code})`;
  }
}
