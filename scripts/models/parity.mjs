// Parity of a converted ONNX model with the TensorFlow.js original: runs both on the same inputs and prints the
// largest absolute difference per output, for seeded random inputs and for photos resized to the input size.
//
// usage: node parity.mjs MODEL.json MODEL.onnx --scale 1|255 [--random N] [--tolerance T] [--rename ONNX=SIGNATURE_KEY ...] IMAGE...
// Exits with 1 when an output differs by more than the tolerance (absolute, default 1e-3).
//
// TensorFlow.js runs on its pure-JavaScript CPU backend, ONNX Runtime through onnxruntime-node's bundled CPU
// library: both work offline. The two run the same float32 arithmetic in a different order, so differences of
// about 1e-5 of an output's range are expected; a wrong conversion shows up as differences of the output's size.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

const args = process.argv.slice(2);
const positional = [];
const options = { scale: 1, random: 5, tolerance: 1e-3, rename: {} };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--scale') options.scale = Number(args[++i]);
  else if (args[i] === '--random') options.random = Number(args[++i]);
  else if (args[i] === '--tolerance') options.tolerance = Number(args[++i]);
  else if (args[i] === '--rename') { const [onnxName, key] = args[++i].split('='); options.rename[key] = onnxName; }
  else positional.push(args[i]);
}
const [modelJson, onnxPath, ...images] = positional;

await tf.setBackend('cpu');

// tf.loadGraphModel wants a URL or an IO handler; this one reads the model.json and its shards from disk.
const manifest = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
const shards = manifest.weightsManifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelJson), p))));
const weightData = Buffer.concat(shards);
const tfModel = await tf.loadGraphModel({
  load: async () => ({
    modelTopology: manifest.modelTopology,
    format: manifest.format,
    generatedBy: manifest.generatedBy,
    convertedBy: manifest.convertedBy,
    signature: manifest.signature,
    userDefinedMetadata: manifest.userDefinedMetadata,
    weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  }),
});
const session = await ort.InferenceSession.create(onnxPath);
const [, height, width, channels] = tfModel.inputs[0].shape;
const signature = manifest.signature ?? manifest.userDefinedMetadata?.signature;
const outputKeys = Object.keys(signature.outputs).sort();
const tfOutputNames = outputKeys.map((key) => signature.outputs[key].name);

// A small seeded generator (mulberry32), so the random inputs are the same on every run.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decode(file) {
  const bytes = fs.readFileSync(file);
  if (file.endsWith('.png')) {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  }
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

// Bilinear resize of the whole photo to the input size, RGB scaled by options.scale / 255.
function photoInput(file) {
  const image = decode(file);
  const values = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * image.width / width - 0.5));
      const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * image.height / height - 0.5));
      const x0 = Math.floor(sx); const y0 = Math.floor(sy);
      const x1 = Math.min(image.width - 1, x0 + 1); const y1 = Math.min(image.height - 1, y0 + 1);
      const fx = sx - x0; const fy = sy - y0;
      for (let c = 0; c < channels; c++) {
        const at = (px, py) => image.data[(py * image.width + px) * 4 + c];
        const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
        const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
        values[(y * width + x) * channels + c] = (top * (1 - fy) + bottom * fy) * options.scale / 255;
      }
    }
  }
  return values;
}

function randomInput(seed) {
  const next = random(seed);
  return Float32Array.from({ length: height * width * channels }, () => next() * options.scale);
}

async function compare(label, values) {
  const input = tf.tensor4d(values, [1, height, width, channels]);
  const tfResults = tfModel.execute(input, tfOutputNames);
  const tfArrays = await Promise.all((Array.isArray(tfResults) ? tfResults : [tfResults]).map((t) => t.data()));
  tf.dispose([input, tfResults]);
  const onnxResults = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', values, [1, height, width, channels]) });
  const row = { input: label };
  outputKeys.forEach((key, i) => {
    const onnxName = options.rename[key] ?? key;
    const expected = tfArrays[i];
    const actual = onnxResults[onnxName].data;
    if (expected.length !== actual.length) throw new Error(`${key}: ${expected.length} values from tfjs, ${actual.length} from ONNX`);
    let maxDiff = 0; let maxValue = 0;
    for (let j = 0; j < expected.length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[j] - actual[j]));
      maxValue = Math.max(maxValue, Math.abs(expected[j]));
    }
    row[onnxName] = { maxAbsDiff: Number(maxDiff.toExponential(2)), maxAbsValue: Number(maxValue.toPrecision(4)) };
  });
  return row;
}

const rows = [];
for (let seed = 1; seed <= options.random; seed++) rows.push(await compare(`random#${seed}`, randomInput(seed)));
for (const file of images) rows.push(await compare(path.basename(file), photoInput(file)));
const worst = {};
for (const row of rows) {
  for (const [name, figures] of Object.entries(row)) {
    if (name !== 'input') worst[name] = Math.max(worst[name] ?? 0, figures.maxAbsDiff);
  }
}
console.log(JSON.stringify({ model: path.basename(modelJson), rows, worst }, null, 1));
if (Object.values(worst).some((difference) => difference > options.tolerance)) {
  console.error(`${path.basename(modelJson)}: an output differs by more than ${options.tolerance}`);
  process.exit(1);
}
