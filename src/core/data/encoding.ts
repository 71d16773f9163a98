/**
 * The CSV reader's text decoding: strict UTF-8, chunk by chunk. A file that is not UTF-8 is refused with
 * CSV_ENCODING naming the row, instead of reading as a wrong field count (UTF-16) or as U+FFFD characters that
 * quietly become a new category (Latin-1, a cut file).
 */
import { StringDecoder } from 'node:string_decoder';
import { TopdownError } from '../errors';

/** Where a decoding problem sits in a chunk: the index in the chunk's decoded text. */
export interface DecodeProblem {
  index: number;
  /** The decoded text of the chunk up to `index` (used to count the lines before the problem). */
  before: string;
  message: string;
  hint: string;
}

const SAVE_AS_UTF8 = 'Save the file as UTF-8 (in Excel: "CSV UTF-8"; or `iconv -f <encoding> -t UTF-8`).';

/** Decodes a file's chunks as UTF-8, refusing UTF-16 byte order marks, NUL characters and invalid bytes. */
export class StrictUtf8 {
  private readonly decoder = new StringDecoder('utf8');
  /** The undecoded end of the previous chunk: the first bytes of a character that continues in this one. */
  private carried: Uint8Array = new Uint8Array(0);
  private first = true;

  /**
   * Decodes the next chunk (`final` for the end of the file). Returns the text, or the first problem found:
   * a UTF-16 byte order mark, a NUL character, or bytes that are not UTF-8.
   */
  decode(bytes: Buffer, final: boolean): string | DecodeProblem {
    if (this.first) {
      this.first = false;
      const utf16 = utf16Order(bytes);
      if (utf16 !== undefined) {
        return {
          index: 0,
          before: '',
          message: `starts with a UTF-16 (${utf16}) byte order mark: the file is UTF-16 text, and Topdown reads CSV files in UTF-8`,
          hint: SAVE_AS_UTF8,
        };
      }
    }
    // Lenient decoding (as fs streams decode) is twice as fast as a fatal TextDecoder; a U+FFFD in the text
    // is then checked against the bytes.
    const text = final ? this.decoder.end(bytes) : this.decoder.write(bytes);
    if (text.indexOf('\ufffd') >= 0) {
      const invalid = firstInvalid(text, Buffer.concat([this.carried, bytes]));
      if (invalid < text.length) {
        return {
          index: invalid,
          before: text.slice(0, invalid),
          message: 'holds bytes that are not UTF-8 text (Latin-1, Windows-1252 or a damaged file)',
          hint: SAVE_AS_UTF8,
        };
      }
    }
    // A chunk shorter than a character may finish or extend what the previous one carried.
    const joined = bytes.length >= 3 ? bytes : Buffer.concat([this.carried, bytes]);
    this.carried = final ? new Uint8Array(0) : incompleteTail(joined);
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      return {
        index: nul,
        before: text.slice(0, nul),
        message:
          'holds a NUL character: it looks like UTF-16 text without a byte order mark, or a binary file',
        hint: `Point problem.data at a CSV text file. ${SAVE_AS_UTF8}`,
      };
    }
    return text;
  }
}

/** CSV_ENCODING for a problem in `row` of `file`. */
export function encodingError(file: string, row: number, problem: DecodeProblem): TopdownError {
  return new TopdownError('CSV_ENCODING', `Row ${row} of ${file} ${problem.message}.`, {
    file,
    row,
    hint: problem.hint,
  });
}

function utf16Order(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian';
  return undefined;
}

/**
 * The index in `text` (the lenient decoding of `bytes`) of the first U+FFFD that stands for invalid bytes
 * rather than for an encoded U+FFFD (EF BF BD). Every character before it decoded exactly, so its UTF-8 length
 * gives the byte offset.
 */
export function firstInvalid(text: string, bytes: Uint8Array): number {
  let offset = 0;
  for (let index = 0; index < text.length;) {
    const code = text.codePointAt(index) as number;
    if (
      code === 0xfffd &&
      !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)
    ) {
      return index;
    }
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code > 0xffff ? 2 : 1;
  }
  return text.length;
}

/**
 * The bytes at the end of a valid UTF-8 chunk that start a character not finished in it (at most three), which
 * the streaming decoder holds back until the next chunk.
 */
export function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.slice(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}
