// Unwraps a TensorFlow.js layers model that is published as JavaScript modules (nsfwjs ships model.min.js, a
// bundle whose export is the model.json object, and group1-shard1of1.min.js, whose export is the weight shard as
// base64) into the ordinary files tf.loadLayersModel and convert-tfjs-layers.py read: model.json and its shard.
//
// usage: node extract-tfjs-layers.mjs MODEL.min.js OUT_DIR
//
// The bundles are evaluated in an empty vm context (no require, no process, no fs), so they can only build their
// export; the shards named in the manifest are looked up as NAME.min.js next to MODEL.min.js.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [modelModule, outDir] = process.argv.slice(2);

function exportOf(file) {
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), { module, exports: module.exports }, { filename: file, timeout: 10000 });
  return module.exports;
}

const model = exportOf(modelModule);
if (!model.modelTopology || !model.weightsManifest) throw new Error(`${modelModule}: no modelTopology/weightsManifest export`);
fs.mkdirSync(outDir, { recursive: true });
for (const group of model.weightsManifest) {
  for (const shard of group.paths) {
    const base64 = exportOf(path.join(path.dirname(modelModule), `${shard}.min.js`));
    if (typeof base64 !== 'string') throw new Error(`${shard}.min.js: the export is not a base64 string`);
    fs.writeFileSync(path.join(outDir, shard), Buffer.from(base64, 'base64'));
  }
}
// JSON.stringify keeps the bundle's key order, so the same package gives the same bytes.
fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(model));
