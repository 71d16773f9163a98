#!/usr/bin/env node
// Measures the length in lines of every function in src/ and webviews/ (declarations, methods, arrows, function expressions,
// constructors, accessors) with the TypeScript compiler's parser. A nested function counts on its own and also
// inside its parent. Usage: node scripts/function-lengths.mjs [--over N] [--top N] [dirs...]
// Prints the longest function and the count over the limit for all the dirs together and for each dir, then the
// functions over the limit, longest first.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
let limit = 80;
let top = Infinity;
const roots = [];
for (let index = 0; index < args.length; index++) {
  if (args[index] === '--over') limit = Number(args[++index]);
  else if (args[index] === '--top') top = Number(args[++index]);
  else roots.push(args[index]);
}
if (roots.length === 0) roots.push('src', 'webviews');

function* sourceFiles(directory) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

function nameOf(node, source) {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

/** Every function-like node with a body in one file: its name, first line and length in lines. */
export function measureFile(file, text = fs.readFileSync(file, 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: nameOf(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The longest function and the count over the limit, in one line. */
function summary(label, functions) {
  const sorted = [...functions].sort((a, b) => b.lines - a.lines);
  const longest = sorted[0];
  const over = sorted.filter((entry) => entry.lines > limit).length;
  return `${label}functions: ${functions.length}; longest: ${longest ? `${longest.lines} lines (${longest.name}, ${longest.file}:${longest.line})` : 'none'}; over ${limit} lines: ${over}`;
}

const byRoot = roots.map((root) => ({
  root,
  functions: [...sourceFiles(root)].flatMap((file) => measureFile(file)),
}));
const all = byRoot.flatMap((entry) => entry.functions);
all.sort((a, b) => b.lines - a.lines);
const over = all.filter((entry) => entry.lines > limit);
console.log(summary('', all));
if (byRoot.length > 1)
  for (const { root, functions } of byRoot) console.log(summary(`  ${root}: `, functions));
for (const entry of over.slice(0, top))
  console.log(`${String(entry.lines).padStart(5)}  ${entry.name}  ${entry.file}:${entry.line}`);
