/**
 * A small assembler for the part of the WebAssembly text format that the loop's SIMD kernels (gemm-simd.ts)
 * are written in, so the kernels ship as readable source and need no build step or binary file: a module of
 * one imported memory and functions written in folded form, `(op immediates… operands…)`, with `block`,
 * `loop`, `if`/`then`/`else`, named locals, labels and functions, and only the instructions the kernels use
 * (INSTRUCTIONS below). Anything else is a SyntaxError naming the token. The byte layout follows the
 * WebAssembly core specification's binary format (sections 5.4–5.5); a unit test compares it with the
 * kernels' results, and the output once matched wabt's `wat2wasm` byte for byte.
 */

/** A parsed S-expression: an atom (keyword, `$name`, number, `offset=16`, "string") or a list. */
type Node = string | Node[];

type ValueType = 'i32' | 'f64' | 'v128';

const VALUE_TYPES: Record<ValueType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** How an instruction's immediates are written after its opcode. */
type Immediate = 'none' | 'local' | 'label' | 'function' | 'i32' | 'f64' | 'memory' | 'lane';

/**
 * The instructions the kernels use: opcode bytes (0xfd prefixes the SIMD ones, whose number follows as
 * LEB128), immediates, and the natural alignment (log2 bytes) of memory accesses.
 */
const INSTRUCTIONS: Record<string, { code: number[]; immediate: Immediate; align?: number }> = {
  br: { code: [0x0c], immediate: 'label' },
  br_if: { code: [0x0d], immediate: 'label' },
  call: { code: [0x10], immediate: 'function' },
  'local.get': { code: [0x20], immediate: 'local' },
  'local.set': { code: [0x21], immediate: 'local' },
  'local.tee': { code: [0x22], immediate: 'local' },
  'f64.load': { code: [0x2b], immediate: 'memory', align: 3 },
  'f64.store': { code: [0x39], immediate: 'memory', align: 3 },
  'i32.const': { code: [0x41], immediate: 'i32' },
  'f64.const': { code: [0x44], immediate: 'f64' },
  'i32.eqz': { code: [0x45], immediate: 'none' },
  'i32.ne': { code: [0x47], immediate: 'none' },
  'i32.lt_u': { code: [0x49], immediate: 'none' },
  'i32.gt_u': { code: [0x4b], immediate: 'none' },
  'i32.ge_u': { code: [0x4f], immediate: 'none' },
  'i32.add': { code: [0x6a], immediate: 'none' },
  'i32.sub': { code: [0x6b], immediate: 'none' },
  'i32.mul': { code: [0x6c], immediate: 'none' },
  'i32.and': { code: [0x71], immediate: 'none' },
  'i32.shl': { code: [0x74], immediate: 'none' },
  'f64.add': { code: [0xa0], immediate: 'none' },
  'f64.mul': { code: [0xa2], immediate: 'none' },
  'v128.load': { code: [0xfd, 0x00], immediate: 'memory', align: 4 },
  'v128.store': { code: [0xfd, 0x0b], immediate: 'memory', align: 4 },
  'f64x2.splat': { code: [0xfd, 0x14], immediate: 'none' },
  'f64x2.extract_lane': { code: [0xfd, 0x21], immediate: 'lane' },
  'f64x2.add': { code: [0xfd, 0xf0, 0x01], immediate: 'none' },
  'f64x2.mul': { code: [0xfd, 0xf2, 0x01], immediate: 'none' },
};

/** Splits the source into `(`, `)`, strings and atoms, dropping `;;` comments, and builds the tree. */
function parse(source: string): Node[] {
  const tokens = source.replace(/;;[^\n]*/g, ' ').match(/\(|\)|"[^"]*"|[^\s()]+/g) ?? [];
  const stack: Node[][] = [[]];
  for (const token of tokens) {
    if (token === '(') {
      const list: Node[] = [];
      stack[stack.length - 1].push(list);
      stack.push(list);
    } else if (token === ')') {
      if (stack.length === 1) throw new SyntaxError('wat: unbalanced ")"');
      stack.pop();
    } else {
      stack[stack.length - 1].push(token);
    }
  }
  if (stack.length !== 1) throw new SyntaxError('wat: unbalanced "("');
  return stack[0];
}

/** Unsigned LEB128. */
function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 of a 32-bit integer. */
function signed(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A length-prefixed vector or name. */
function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsigned(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function atom(node: Node | undefined, what: string): string {
  if (typeof node !== 'string') throw new SyntaxError(`wat: expected ${what}, found a list`);
  return node;
}

function valueType(node: Node | undefined): ValueType {
  const text = atom(node, 'a value type');
  if (!(text in VALUE_TYPES)) throw new SyntaxError(`wat: unknown value type ${text}`);
  return text as ValueType;
}

function unquote(node: Node | undefined): string {
  const text = atom(node, 'a string');
  if (!text.startsWith('"')) throw new SyntaxError(`wat: expected a string, found ${text}`);
  return text.slice(1, -1);
}

/** One function's signature and body, as written. */
interface FunctionSource {
  name: string;
  exportName: string | undefined;
  params: Array<{ name: string; type: ValueType }>;
  locals: Array<{ name: string; type: ValueType }>;
  body: Node[];
}

function readFunction(list: Node[]): FunctionSource {
  const source: FunctionSource = {
    name: atom(list[1], 'a $name'),
    exportName: undefined,
    params: [],
    locals: [],
    body: [],
  };
  for (const item of list.slice(2)) {
    const head = Array.isArray(item) ? item[0] : undefined;
    if (Array.isArray(item) && head === 'export') source.exportName = unquote(item[1]);
    else if (Array.isArray(item) && (head === 'param' || head === 'local'))
      (head === 'param' ? source.params : source.locals).push({
        name: atom(item[1], 'a $name'),
        type: valueType(item[2]),
      });
    else source.body.push(item);
  }
  return source;
}

/** Encodes one function body: locals (runs of one type), instructions, `end`. */
function encodeBody(source: FunctionSource, functionIndex: ReadonlyMap<string, number>): number[] {
  const localIndex = new Map<string, number>();
  [...source.params, ...source.locals].forEach((local, index) => localIndex.set(local.name, index));
  const runs: number[][] = [];
  let index = 0;
  while (index < source.locals.length) {
    const type = source.locals[index].type;
    let end = index;
    while (end < source.locals.length && source.locals[end].type === type) end++;
    runs.push([...unsigned(end - index), VALUE_TYPES[type]]);
    index = end;
  }
  const code: number[] = [];
  const labels: string[] = [];

  const lookup = (map: ReadonlyMap<string, number>, key: string, what: string): number => {
    const found = map.get(key);
    if (found === undefined) throw new SyntaxError(`wat: unknown ${what} ${key} in ${source.name}`);
    return found;
  };
  const block = (opcode: number, label: string | undefined, body: Node[]): void => {
    code.push(opcode, 0x40);
    labels.push(label ?? '');
    body.forEach(emit);
    labels.pop();
    code.push(0x0b);
  };

  function emit(node: Node): void {
    if (!Array.isArray(node)) throw new SyntaxError(`wat: write instructions folded, found ${node}`);
    const op = atom(node[0], 'an instruction');
    if (op === 'block' || op === 'loop') {
      const labelled = typeof node[1] === 'string' && node[1].startsWith('$');
      return block(
        op === 'block' ? 0x02 : 0x03,
        labelled ? (node[1] as string) : undefined,
        node.slice(labelled ? 2 : 1),
      );
    }
    if (op === 'if') {
      const [condition, then, otherwise] = node.slice(1) as Node[][];
      emit(condition);
      code.push(0x04, 0x40);
      labels.push('');
      then.slice(1).forEach(emit);
      if (otherwise) {
        code.push(0x05);
        otherwise.slice(1).forEach(emit);
      }
      labels.pop();
      code.push(0x0b);
      return;
    }
    const instruction = INSTRUCTIONS[op];
    if (!instruction) throw new SyntaxError(`wat: unsupported instruction ${op} in ${source.name}`);
    let rest = node.slice(1);
    const immediates: number[] = [];
    switch (instruction.immediate) {
      case 'none':
        break;
      case 'local':
        immediates.push(...unsigned(lookup(localIndex, atom(rest[0], 'a local'), 'local')));
        rest = rest.slice(1);
        break;
      case 'label': {
        const depth = labels.length - 1 - labels.lastIndexOf(atom(rest[0], 'a label'));
        if (depth >= labels.length) throw new SyntaxError(`wat: unknown label ${String(rest[0])}`);
        immediates.push(...unsigned(depth));
        rest = rest.slice(1);
        break;
      }
      case 'function':
        immediates.push(...unsigned(lookup(functionIndex, atom(rest[0], 'a function'), 'function')));
        rest = rest.slice(1);
        break;
      case 'i32':
        immediates.push(...signed(Number(atom(rest[0], 'a number'))));
        rest = rest.slice(1);
        break;
      case 'f64': {
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setFloat64(0, Number(atom(rest[0], 'a number')), true);
        immediates.push(...bytes);
        rest = rest.slice(1);
        break;
      }
      case 'memory': {
        let offset = 0;
        if (typeof rest[0] === 'string' && rest[0].startsWith('offset=')) {
          offset = Number(rest[0].slice('offset='.length));
          rest = rest.slice(1);
        }
        immediates.push(...unsigned(instruction.align ?? 0), ...unsigned(offset));
        break;
      }
      case 'lane':
        immediates.push(Number(atom(rest[0], 'a lane')));
        rest = rest.slice(1);
        break;
    }
    rest.forEach(emit);
    code.push(...instruction.code, ...immediates);
  }

  source.body.forEach(emit);
  const body = [...vector(runs), ...code, 0x0b];
  return [...unsigned(body.length), ...body];
}

/**
 * The binary module for `source`: `(module (import "env" "memory" (memory N)) (func …)…)`. Functions are
 * exported under the names given by `(export "…")`; they take parameters and return nothing.
 */
export function assemble(source: string): Uint8Array<ArrayBuffer> {
  const [module] = parse(source);
  if (!Array.isArray(module) || module[0] !== 'module') throw new SyntaxError('wat: expected (module …)');
  const imports: number[][] = [];
  const functions: FunctionSource[] = [];
  for (const item of module.slice(1)) {
    if (!Array.isArray(item)) throw new SyntaxError(`wat: unexpected ${item} in the module`);
    if (item[0] === 'func') {
      functions.push(readFunction(item));
    } else if (item[0] === 'import' && Array.isArray(item[3]) && item[3][0] === 'memory') {
      const minimum = Number(atom(item[3][1], 'a page count'));
      imports.push([...name(unquote(item[1])), ...name(unquote(item[2])), 0x02, 0x00, ...unsigned(minimum)]);
    } else {
      throw new SyntaxError(`wat: unsupported module field ${String(item[0])}`);
    }
  }
  const signatures: string[] = [];
  const typeOf = functions.map((source) => {
    const signature = source.params.map((param) => param.type).join(' ');
    if (!signatures.includes(signature)) signatures.push(signature);
    return signatures.indexOf(signature);
  });
  const functionIndex = new Map(functions.map((source, index) => [source.name, index]));
  const types = signatures.map((signature) => [
    0x60,
    ...vector(signature ? signature.split(' ').map((type) => [VALUE_TYPES[type as ValueType]]) : []),
    0x00,
  ]);
  const exports = functions.flatMap((source, index) =>
    source.exportName === undefined ? [] : [[...name(source.exportName), 0x00, ...unsigned(index)]],
  );
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(typeOf.map((type) => unsigned(type)))),
    ...section(7, vector(exports)),
    ...section(10, vector(functions.map((source) => encodeBody(source, functionIndex)))),
  ]);
}
