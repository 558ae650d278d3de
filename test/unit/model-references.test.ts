import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { engine, py } from '../support/engine';

/**
 * Which lines of a script get a model-file code lens. Model files here are placeholders: a reference
 * depends on the path resolving to an existing file with a model file's name (or a folder holding
 * weights), not on the contents; the server test reads real files for the lens text.
 */
describe('model files a script loads', () => {
  let root: string;
  const touch = (...files: string[]) => {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), file.endsWith('.json') ? '{}' : 'x');
    }
  };
  /** [line, path relative to the workspace] of each reference, with the shards after a sharded one. */
  const references = async (script: string, source: string) =>
    (await (await engine()).modelReferences(path.join(root, script), source, { roots: [root] })).map((r) => [
      r.range.start.line,
      path.relative(root, r.file),
      ...(r.shards ?? []).map((s) => path.relative(root, s)),
    ]);

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-refs-'));
    touch('ckpt/best.pt', 'ckpt/last.ckpt', 'scripts/local.safetensors', 'models/churn.h5', 'models/clf.keras', 'models/net.onnx', 'notes.txt', 'data/x.npy');
    touch('finetuned/config.json', 'finetuned/model.safetensors', 'finetuned/tokenizer.json');
    touch('legacy-bert/pytorch_model.bin');
    touch('bert-base-cased/config.json', 'bert-base-cased/pytorch_model.bin');
    touch('config-only/config.json');
    touch('adapter/adapter_model.safetensors', 'sd/unet/diffusion_pytorch_model.safetensors', 'sd/model_index.json');
    touch('web/classifier/model.json', 'scripts/web/model.json', 'web/labels.json');
    touch('sharded/model-00001-of-00002.safetensors', 'sharded/model-00002-of-00002.safetensors');
    fs.writeFileSync(
      path.join(root, 'sharded/model.safetensors.index.json'),
      JSON.stringify({ metadata: { total_size: 2 }, weight_map: { 'lm_head.weight': 'model-00002-of-00002.safetensors', 'embed.weight': 'model-00001-of-00002.safetensors' } }),
    );
    touch('half-sharded/pytorch_model-00001-of-00002.bin');
    fs.writeFileSync(path.join(root, 'half-sharded/pytorch_model.bin.index.json'), JSON.stringify({ weight_map: { a: 'pytorch_model-00001-of-00002.bin', b: 'pytorch_model-00002-of-00002.bin' } }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('Python', () => {
    it('resolves literal, constant and argparse-default paths against the workspace and the script folder', async () => {
      const source = py`
        import argparse
        import torch
        from safetensors.torch import load_file
        CKPT = "ckpt/best.pt"
        parser = argparse.ArgumentParser()
        parser.add_argument("--weights", default="local.safetensors")
        args = parser.parse_args()
        a = torch.load("ckpt/best.pt")
        b = torch.load(CKPT, map_location="cpu")
        c = load_file(args.weights)
        d = torch.load("ckpt/missing.pt")
        e = torch.load(some_path)
      `;
      assert.deepEqual(await references('scripts/eval.py', source), [
        [7, 'ckpt/best.pt'],
        [8, 'ckpt/best.pt'],
        [9, 'scripts/local.safetensors'],
      ]);
    });

    it('Keras load_model under every import path, and not for a missing or non-model file', async () => {
      const source = py`
        import keras
        import tensorflow as tf
        from keras.saving import load_model
        from tensorflow.keras.models import load_model as tf_load
        a = keras.models.load_model("models/churn.h5")
        b = tf.keras.models.load_model(filepath="models/clf.keras", compile=False)
        c = load_model("models/clf.keras")
        d = tf_load("models/churn.h5")
        e = keras.models.load_model("models/missing.h5")
        f = keras.models.load_model("notes.txt")
        g = keras.models.load_model("models/saved_model_dir")
      `;
      assert.deepEqual(await references('train.py', source), [
        [4, 'models/churn.h5'],
        [5, 'models/clf.keras'],
        [6, 'models/clf.keras'],
        [7, 'models/churn.h5'],
      ]);
    });

    it('ONNX and ONNX Runtime, safetensors into a model, Lightning checkpoints; never np.load', async () => {
      const source = py`
        import numpy as np
        import onnx
        import onnxruntime as ort
        from safetensors.torch import load_model
        m = onnx.load("models/net.onnx")
        s = ort.InferenceSession("models/net.onnx", providers=["CPUExecutionProvider"])
        load_model(model, "scripts/local.safetensors")
        net = LitClassifier.load_from_checkpoint("ckpt/last.ckpt")
        x = np.load("data/x.npy")
        y = onnx.load("models/other.onnx")
      `;
      assert.deepEqual(await references('train.py', source), [
        [4, 'models/net.onnx'],
        [5, 'models/net.onnx'],
        [6, 'scripts/local.safetensors'],
        [7, 'ckpt/last.ckpt'],
      ]);
    });

    it('from_pretrained on a local folder points at the weights inside it', async () => {
      const source = py`
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, BertForMaskedLM
        import transformers
        from peft import PeftModel
        from diffusers import UNet2DConditionModel
        MODEL_DIR = "./finetuned"
        model = AutoModelForSequenceClassification.from_pretrained(MODEL_DIR, num_labels=3)
        tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
        old = BertForMaskedLM.from_pretrained(pretrained_model_name_or_path="legacy-bert")
        base = transformers.AutoModel.from_pretrained("bert-base-uncased")
        cached = transformers.AutoModel.from_pretrained("bert-base-cased")
        tuned = PeftModel.from_pretrained(base, "adapter")
        unet = UNet2DConditionModel.from_pretrained("sd", subfolder="unet")
        empty = transformers.AutoModel.from_pretrained("config-only")
        config = transformers.AutoConfig.from_pretrained("finetuned")
      `;
      assert.deepEqual(await references('train.py', source), [
        [5, 'finetuned/model.safetensors'],
        [7, 'legacy-bert/pytorch_model.bin'],
        // A hub id is only local when a folder of that name exists, as it does here (and transformers then loads it).
        [9, 'bert-base-cased/pytorch_model.bin'],
        [10, 'adapter/adapter_model.safetensors'],
        [11, 'sd/unet/diffusion_pytorch_model.safetensors'],
      ]);
    });

    it('a sharded checkpoint is referenced by its first shard with every shard listed; a missing shard means no lens', async () => {
      const source = py`
        from transformers import AutoModelForCausalLM
        lm = AutoModelForCausalLM.from_pretrained("./sharded")
        broken = AutoModelForCausalLM.from_pretrained("./half-sharded")
      `;
      assert.deepEqual(await references('train.py', source), [
        [1, 'sharded/model-00001-of-00002.safetensors', 'sharded/model-00001-of-00002.safetensors', 'sharded/model-00002-of-00002.safetensors'],
      ]);
    });
  });

  describe('JavaScript and TypeScript', () => {
    it('CommonJS: require, file:// URLs relative to the workspace, path.join(__dirname, …) through tf.io.fileSystem', async () => {
      const source = py`
        const tf = require('@tensorflow/tfjs-node');
        const path = require('node:path');
        const MODEL_URL = 'file://web/classifier/model.json';
        async function main() {
          const a = await tf.loadLayersModel('file://./web/classifier/model.json');
          const b = await tf.loadLayersModel(MODEL_URL);
          const c = await tf.loadGraphModel(tf.io.fileSystem(path.join(__dirname, 'web', 'model.json')));
          const d = await tf.loadLayersModel(\`file://\${__dirname}/web/model.json\`);
          const e = await tf.loadLayersModel('https://example.com/web/classifier/model.json');
          const f = await tf.loadLayersModel('file://web/missing/model.json');
          const g = await tf.loadLayersModel('file://web/labels.json');
          const h = await other.loadLayersModel('file://web/classifier/model.json');
          const i = await tf.loadLayersModel(someUrl);
          // const j = await tf.loadLayersModel('file://web/classifier/model.json');
          const k = 'tf.loadLayersModel("file://web/classifier/model.json")';
        }
      `;
      assert.deepEqual(await references('scripts/predict.js', source), [
        [4, 'web/classifier/model.json'],
        [5, 'web/classifier/model.json'],
        [6, 'scripts/web/model.json'],
        [7, 'scripts/web/model.json'],
      ]);
    });

    it('ES modules: namespace, default and renamed named imports; the same source as .mjs and .ts', async () => {
      const source = py`
        import * as tf from '@tensorflow/tfjs-node';
        import tfjs from '@tensorflow/tfjs';
        import { loadGraphModel as loadGraph } from '@tensorflow/tfjs-converter';
        const root = 'web';
        const a = await tf.loadLayersModel(\`file://\${root}/classifier/model.json\`);
        const b = await tfjs.loadLayersModel('file://' + root + '/classifier/model.json');
        const c = await loadGraph("file://web/classifier/model.json");
      `;
      const expected = [
        [4, 'web/classifier/model.json'],
        [5, 'web/classifier/model.json'],
        [6, 'web/classifier/model.json'],
      ];
      assert.deepEqual(await references('predict.mjs', source), expected);
      assert.deepEqual(await references('predict.ts', source), expected);
    });

    it('TypeScript: type annotations, `import x = require()`, a let that is reassigned is not a constant', async () => {
      const source = py`
        import tf = require('@tensorflow/tfjs-node');
        let url: string = 'file://web/classifier/model.json';
        url = 'file://elsewhere/model.json';
        export async function load(): Promise<tf.LayersModel> {
          const model: tf.LayersModel = await tf.loadLayersModel<tf.LayersModel>('file://web/classifier/model.json' as string);
          const other = await tf.loadLayersModel(url);
          return (await tf.loadLayersModel('file://web/classifier/model.json'))!;
        }
      `;
      assert.deepEqual(await references('src/load.ts', source), [
        [4, 'web/classifier/model.json'],
        [6, 'web/classifier/model.json'],
      ]);
    });

    it('a script is only read for loaders of its own language', async () => {
      const python = 'import torch\nstate = torch.load("ckpt/best.pt")\n';
      assert.deepEqual(await references('convert.js', python), []);
      const javascript = "const tf = require('@tensorflow/tfjs-node');\ntf.loadLayersModel('file://web/classifier/model.json');\n";
      assert.deepEqual(await references('convert.py', javascript), []);
    });
  });
});
