/** TensorFlow/Keras model builders, input pipelines and custom training steps. */
import type { PythonFile, Section } from './python-file';
import { ADJECTIVES, camel, DATA, NOUNS } from './vocab';

function builder(f: PythonFile, kind: string): string {
  const name = f.fresh(`build_${f.rand.pick(ADJECTIVES)}_${kind}`);
  f.models.push(name);
  return name;
}

const sequential: Section = (f) => {
  const { rand } = f;
  f.need('keras', 'layers');
  const name = builder(f, rand.pick(['cnn', 'classifier', 'model', 'net']));
  const convs = rand.int(1, 3);
  const body: string[] = [];
  for (let i = 0; i < convs; i++) {
    body.push(`            layers.Conv2D(${rand.pick([16, 32, 64, 128])}, ${rand.pick([3, 5])}, padding="same", activation="${rand.pick(['relu', 'gelu', 'swish'])}"),`);
    if (rand.chance(0.5)) body.push('            layers.BatchNormalization(),');
    body.push('            layers.MaxPooling2D(),');
  }
  return [
    `def ${name}(input_shape=(${rand.pick([28, 32, 64])}, ${rand.pick([28, 32, 64])}, ${rand.pick([1, 3])}), num_classes=${rand.pick([10, 100, 5])}):`,
    '    model = keras.Sequential(',
    '        [',
    '            keras.Input(shape=input_shape),',
    ...body,
    '            layers.Flatten(),',
    `            layers.Dropout(${rand.float(0.1, 0.5, 1)}),`,
    `            layers.Dense(${rand.pick([64, 128, 256])}, activation="relu"),`,
    '            layers.Dense(num_classes, activation="softmax"),',
    '        ]',
    '    )',
    '    return model',
  ];
};

const functional: Section = (f) => {
  const { rand } = f;
  f.need('keras', 'layers');
  const name = builder(f, rand.pick(['text_model', 'tabular_model', 'two_tower', 'encoder']));
  const widths = Array.from({ length: rand.int(2, 4) }, () => rand.pick([32, 64, 128, 256, 512]));
  return [
    `def ${name}(num_features=${rand.pick([8, 16, 32, 100])}, num_outputs=${rand.pick([1, 2, 10])}):`,
    '    inputs = keras.Input(shape=(num_features,), name="features")',
    '    x = inputs',
    `    for width in [${widths.join(', ')}]:`,
    '        x = layers.Dense(width, activation="relu")(x)',
    `        x = layers.Dropout(${rand.float(0.05, 0.4, 2)})(x)`,
    ...(rand.chance(0.5) ? ['        x = layers.LayerNormalization()(x)'] : []),
    `    outputs = layers.Dense(num_outputs, activation=${rand.pick(['None', '"sigmoid"', '"softmax"'])})(x)`,
    `    return keras.Model(inputs, outputs, name="${rand.pick(NOUNS)}")`,
  ];
};

const customLayer: Section = (f) => {
  const { rand } = f;
  f.need('tf', 'layers');
  const name = f.fresh(camel(rand.pick(ADJECTIVES), rand.pick(NOUNS), 'Layer'));
  return [
    `class ${name}(layers.Layer):`,
    `    def __init__(self, units=${rand.pick([32, 64, 128])}, **kwargs):`,
    '        super().__init__(**kwargs)',
    '        self.units = units',
    '',
    '    def build(self, input_shape):',
    `        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="${rand.pick(['glorot_uniform', 'he_normal', 'random_normal'])}", trainable=True)`,
    '        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)',
    '',
    '    def call(self, inputs, training=False):',
    '        out = tf.matmul(inputs, self.kernel) + self.bias',
    `        return tf.nn.${rand.pick(['relu', 'gelu', 'tanh', 'sigmoid'])}(out)`,
    '',
    '    def get_config(self):',
    '        return {**super().get_config(), "units": self.units}',
  ];
};

const pipeline: Section = (f) => {
  const { rand } = f;
  f.need('tf');
  const name = f.fresh(`make_${rand.pick(DATA)}_dataset`);
  f.datasets.push(name);
  return [
    `def ${name}(x, y, batch_size=${rand.pick([32, 64, 128])}, training=True):`,
    '    ds = tf.data.Dataset.from_tensor_slices((x, y))',
    '    if training:',
    `        ds = ds.shuffle(${rand.pick([1000, 10000, 50000])})`,
    ...(rand.chance(0.5) ? ['        ds = ds.map(lambda a, b: (tf.image.random_flip_left_right(a), b), num_parallel_calls=tf.data.AUTOTUNE)'] : []),
    '    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)',
  ];
};

const callbacks: Section = (f) => {
  const { rand } = f;
  f.need('keras', 'os');
  const name = f.fresh(rand.pick(['make_callbacks', 'default_callbacks', 'build_callbacks']));
  f.helpers.push(name);
  return [
    `def ${name}(output_dir):`,
    '    return [',
    `        keras.callbacks.EarlyStopping(patience=${rand.int(2, 10)}, restore_best_weights=True),`,
    `        keras.callbacks.ModelCheckpoint(os.path.join(output_dir, "${rand.pick(['best', 'model', 'ckpt'])}.keras"), save_best_only=True),`,
    ...(rand.chance(0.5) ? [`        keras.callbacks.ReduceLROnPlateau(factor=${rand.float(0.1, 0.5, 1)}, patience=${rand.int(1, 5)}),`] : []),
    ...(rand.chance(0.5) ? ['        keras.callbacks.TensorBoard(log_dir=os.path.join(output_dir, "logs")),'] : []),
    '    ]',
  ];
};

const trainStep: Section = (f) => {
  const { rand } = f;
  f.need('tf');
  const name = f.fresh(rand.pick(['train_step', 'gradient_step', 'update_step']));
  return [
    '@tf.function',
    `def ${name}(model, optimizer, loss_fn, x, y):`,
    '    with tf.GradientTape() as tape:',
    '        predictions = model(x, training=True)',
    '        loss = loss_fn(y, predictions)',
    ...(rand.chance(0.4) ? ['        loss += tf.add_n(model.losses) if model.losses else 0.0'] : []),
    '    gradients = tape.gradient(loss, model.trainable_variables)',
    ...(rand.chance(0.4) ? [`    gradients, _ = tf.clip_by_global_norm(gradients, ${rand.float(0.5, 5, 1)})`] : []),
    '    optimizer.apply_gradients(zip(gradients, model.trainable_variables))',
    '    return loss',
  ];
};

export const KERAS_MODELS: [Section, number][] = [[sequential, 3], [functional, 3]];
export const KERAS_SECTIONS: [Section, number][] = [...KERAS_MODELS, [customLayer, 2], [pipeline, 2], [callbacks, 2], [trainStep, 2]];
export const KERAS_DATA: [Section, number][] = [[pipeline, 3]];
