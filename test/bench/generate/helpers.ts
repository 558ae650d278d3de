/** Framework-neutral helpers of the kind every training repository accumulates. */
import type { PythonFile, Section } from './python-file';
import { ADJECTIVES, camel, DATA, METRICS, NOUNS, VERBS } from './vocab';

const smoothing: Section = (f) => {
  const { rand } = f;
  const name = f.fresh(`smooth_${rand.pick(DATA)}`);
  f.helpers.push(name);
  return [
    `def ${name}(values, alpha=${rand.float(0.5, 0.99, 2)}):`,
    `    """Exponential moving average of a sequence of floats, for ${rand.pick(['plots', 'the progress bar', 'logging'])}."""`,
    '    smoothed = []',
    '    running = None',
    '    for value in values:',
    '        running = value if running is None else alpha * running + (1 - alpha) * value',
    '        smoothed.append(running)',
    '    return smoothed',
  ];
};

const loadConfig: Section = (f) => {
  const { rand } = f;
  f.need('os', 'json');
  const name = f.fresh(`load_${rand.pick(NOUNS)}_config`);
  const defaults: Record<string, string[]> = {
    lr: ['1e-3', '3e-4', '0.1'],
    batch_size: ['32', '64', '256'],
    epochs: ['10', '20', '90'],
    weight_decay: ['0.0', '0.01', '5e-4'],
    dropout: ['0.1', '0.2', '0.5'],
    hidden: ['128', '256', '1024'],
    warmup_steps: ['0', '500', '2000'],
    grad_clip: ['1.0', '5.0', 'None'],
    label_smoothing: ['0.0', '0.1'],
  };
  const keys = rand.sample(Object.keys(defaults), rand.int(3, 6));
  return [
    `def ${name}(path, overrides=None):`,
    '    """Defaults, then the JSON file at `path` if it exists, then explicit overrides."""',
    '    config = {',
    ...keys.map((k) => `        "${k}": ${rand.pick(defaults[k])},`),
    '    }',
    '    if path and os.path.exists(path):',
    '        with open(path, encoding="utf-8") as handle:',
    '            config.update(json.load(handle))',
    '    for key, value in (overrides or {}).items():',
    '        if key not in config:',
    '            raise KeyError(f"unknown option {key!r}")',
    '        config[key] = value',
    '    return config',
  ];
};

const lrSchedule: Section = (f) => {
  const { rand } = f;
  f.need('math');
  const name = f.fresh(rand.pick(['cosine_lr', 'warmup_cosine', 'lr_at_step', 'schedule_lr']));
  f.helpers.push(name);
  return [
    `def ${name}(step, total_steps=${rand.int(1, 50) * 1000}, base_lr=${rand.pick(['1e-3', '3e-4', '5e-4', '0.1', '0.01'])}, warmup=${rand.int(1, 20) * 50}):`,
    '    """Linear warm-up, then cosine decay to a floor."""',
    '    if step < warmup:',
    '        return base_lr * (step + 1) / warmup',
    '    progress = (step - warmup) / max(1, total_steps - warmup)',
    `    floor = base_lr * ${rand.float(0, 0.1, 2)}`,
    '    return floor + 0.5 * (base_lr - floor) * (1 + math.cos(math.pi * progress))',
  ];
};

const formatCount: Section = (f) => {
  const name = f.fresh(`format_${f.rand.pick(['count', 'number', 'params', 'size'])}`);
  f.helpers.push(name);
  return [
    `def ${name}(n):`,
    '    """1234567 -> \'1.2M\'."""',
    `    for unit in ${f.rand.pick(['["", "K", "M", "B"]', '("", "k", "M", "G")'])}:`,
    '        if abs(n) < 1000:',
    '            return f"{n:.1f}{unit}"',
    '        n /= 1000',
    '    return f"{n:.1f}T"',
  ];
};

const splitItems: Section = (f) => {
  const { rand } = f;
  const name = f.fresh(`split_${rand.pick(DATA)}`);
  const seeded = rand.chance(0.3);
  f.need('random');
  return [
    `def ${name}(items, val_fraction=${rand.float(0.05, 0.3, 2)}${seeded ? ', seed=0' : ''}):`,
    '    """Shuffled train/validation split of a list."""',
    '    indices = list(range(len(items)))',
    seeded ? '    random.Random(seed).shuffle(indices)' : '    random.shuffle(indices)',
    '    cut = int(len(indices) * (1 - val_fraction))',
    '    train = [items[i] for i in indices[:cut]]',
    '    val = [items[i] for i in indices[cut:]]',
    ...(rand.chance(0.5) ? ['    if not val:', '        raise ValueError("validation split is empty; lower val_fraction")'] : []),
    '    return train, val',
  ];
};

const timer: Section = (f) => {
  f.need('time', 'logging');
  const name = f.fresh(`${camel(f.rand.pick(ADJECTIVES))}Timer`);
  return [
    `class ${name}:`,
    '    """Context manager that logs how long its block took."""',
    '',
    `    def __init__(self, label="${f.rand.pick(VERBS)}"):`,
    '        self.label = label',
    '        self.start = None',
    '        self.elapsed = 0.0',
    '',
    '    def __enter__(self):',
    '        self.start = time.perf_counter()',
    '        return self',
    '',
    '    def __exit__(self, *exc):',
    '        self.elapsed = time.perf_counter() - self.start',
    '        logging.getLogger(__name__).info("%s took %.3fs", self.label, self.elapsed)',
    '        return False',
  ];
};

const earlyStopping: Section = (f) => {
  const { rand } = f;
  const name = f.fresh(rand.pick(['EarlyStopping', 'EarlyStopper', 'PatienceCounter']));
  const mode = rand.pick(['min', 'max']);
  return [
    `class ${name}:`,
    `    """Stops training when the monitored ${mode === 'min' ? 'loss' : rand.pick(METRICS)} stops improving."""`,
    '',
    `    def __init__(self, patience=${rand.int(2, 15)}, min_delta=${rand.pick(['0.0', '1e-4', '1e-3', '0.01'])}, mode="${mode}"):`,
    '        self.patience = patience',
    '        self.min_delta = min_delta',
    '        self.mode = mode',
    '        self.best = None',
    '        self.bad_epochs = 0',
    '',
    '    def step(self, metric):',
    '        if self.best is None:',
    '            self.best = metric',
    '            return False',
    '        if self.mode == "min":',
    '            improved = metric < self.best - self.min_delta',
    '        else:',
    '            improved = metric > self.best + self.min_delta',
    '        if improved:',
    '            self.best = metric',
    '            self.bad_epochs = 0',
    '        else:',
    '            self.bad_epochs += 1',
    '        return self.bad_epochs >= self.patience',
  ];
};

const confusion: Section = (f) => {
  const { rand } = f;
  const name = f.fresh(`confusion_${rand.pick(['matrix', 'counts', 'table'])}`);
  const metric = f.fresh(`per_class_${rand.pick(['recall', 'precision'])}`);
  const recall = metric.includes('recall');
  return [
    `def ${name}(predictions, targets, num_classes=${rand.int(2, 100)}):`,
    '    matrix = [[0] * num_classes for _ in range(num_classes)]',
    '    for predicted, actual in zip(predictions, targets):',
    '        matrix[actual][predicted] += 1',
    '    return matrix',
    '',
    '',
    `def ${metric}(matrix):`,
    '    scores = []',
    '    for k in range(len(matrix)):',
    recall ? '        total = sum(matrix[k])' : '        total = sum(row[k] for row in matrix)',
    '        scores.append(matrix[k][k] / total if total else 0.0)',
    '    return scores',
  ];
};

const setupLogging: Section = (f) => {
  f.need('os', 'logging');
  const name = f.fresh(f.rand.pick(['setup_logging', 'get_logger', 'make_logger', 'init_logging']));
  f.helpers.push(name);
  return [
    `def ${name}(output_dir, level=logging.${f.rand.pick(['INFO', 'DEBUG', 'WARNING'])}):`,
    '    os.makedirs(output_dir, exist_ok=True)',
    `    logger = logging.getLogger("${f.project.name}")`,
    '    logger.setLevel(level)',
    `    handler = logging.FileHandler(os.path.join(output_dir, "${f.rand.pick(['train', 'run', 'log', 'events'])}.log"))`,
    `    handler.setFormatter(logging.Formatter("${f.rand.pick(['%(asctime)s %(levelname)s %(message)s', '[%(name)s] %(message)s', '%(asctime)s | %(message)s'])}"))`,
    '    logger.addHandler(handler)',
    ...(f.rand.chance(0.5) ? ['    logger.addHandler(logging.StreamHandler())'] : []),
    '    return logger',
  ];
};

const averageMeter: Section = (f) => {
  const name = f.fresh(f.rand.pick(['AverageMeter', 'RunningMean', 'MetricTracker']));
  return [
    `class ${name}:`,
    '    """Keeps the running average of a value over a epoch."""',
    '',
    '    def __init__(self, name="loss"):',
    '        self.name = name',
    '        self.reset()',
    '',
    '    def reset(self):',
    '        self.total = 0.0',
    '        self.count = 0',
    '',
    '    def update(self, value, n=1):',
    '        self.total += value * n',
    '        self.count += n',
    '',
    '    @property',
    '    def average(self):',
    '        return self.total / max(1, self.count)',
    '',
    '    def __repr__(self):',
    '        return f"{self.name}={self.average:.4f}"',
  ];
};

const configClass: Section = (f) => {
  const { rand } = f;
  f.need('dataclass');
  const name = f.fresh(`${camel(rand.pick(ADJECTIVES), rand.pick(NOUNS))}Config`);
  const fields = rand.sample(
    [
      `lr: float = ${rand.pick(['1e-3', '3e-4', '0.1'])}`,
      `batch_size: int = ${rand.pick([16, 32, 64, 128, 256])}`,
      `epochs: int = ${rand.int(1, 200)}`,
      `hidden_size: int = ${rand.pick([64, 128, 256, 512, 768, 1024])}`,
      `dropout: float = ${rand.float(0, 0.5, 2)}`,
      `weight_decay: float = ${rand.pick(['0.0', '1e-4', '0.01', '0.05'])}`,
      `num_layers: int = ${rand.int(1, 24)}`,
      `output_dir: str = "${rand.pick(['runs', 'outputs', 'checkpoints', 'experiments'])}/${rand.pick(NOUNS)}"`,
      `use_amp: bool = ${rand.pick(['True', 'False'])}`,
      `grad_clip: float = ${rand.float(0.1, 5, 1)}`,
    ],
    rand.int(3, 8),
  );
  return [
    '@dataclass',
    `class ${name}:`,
    ...fields.map((x) => `    ${x}`),
    '    tags: list = field(default_factory=list)',
    '',
    '    def to_dict(self):',
    '        return dict(self.__dict__)',
  ];
};

const padSequences: Section = (f) => {
  const name = f.fresh(`pad_${f.rand.pick(['tokens', 'sequences', 'ids', 'frames'])}`);
  f.helpers.push(name);
  return [
    `def ${name}(sequences, pad_value=${f.rand.pick([0, -1, -100, 1])}, max_len=None):`,
    '    longest = max_len or max(len(s) for s in sequences)',
    '    padded = []',
    '    for seq in sequences:',
    '        seq = list(seq)[:longest]',
    '        padded.append(seq + [pad_value] * (longest - len(seq)))',
    '    return padded',
  ];
};

const topK: Section = (f) => {
  f.need('np');
  const name = f.fresh(`top${f.rand.pick([1, 3, 5])}_${f.rand.pick(['accuracy', 'hits', 'score'])}`);
  return [
    `def ${name}(logits, labels, k=${f.rand.pick([1, 3, 5])}):`,
    '    logits = np.asarray(logits)',
    '    labels = np.asarray(labels)',
    '    top = np.argsort(-logits, axis=1)[:, :k]',
    '    hits = (top == labels[:, None]).any(axis=1)',
    '    return float(hits.mean())',
  ];
};

const augment: Section = (f) => {
  const { rand } = f;
  f.need('np');
  const name = f.fresh(`${rand.pick(['augment', 'jitter', 'random_crop', 'perturb'])}_${rand.pick(DATA)}`);
  return [
    `def ${name}(batch, crop=${rand.pick([24, 28, 32, 56, 224])}, flip_prob=${rand.float(0.1, 0.6, 1)}):`,
    '    """Random crop and horizontal flip of an (N, H, W, C) array."""',
    '    n, h, w = batch.shape[:3]',
    '    out = np.empty((n, crop, crop) + batch.shape[3:], dtype=batch.dtype)',
    '    for i in range(n):',
    '        top = np.random.randint(0, h - crop + 1)',
    '        left = np.random.randint(0, w - crop + 1)',
    '        patch = batch[i, top:top + crop, left:left + crop]',
    '        if np.random.rand() < flip_prob:',
    '            patch = patch[:, ::-1]',
    '        out[i] = patch',
    ...(rand.chance(0.4) ? [`    out = out + np.random.normal(0.0, ${rand.float(0.001, 0.05)}, size=out.shape)`] : []),
    '    return out',
  ];
};

const standardize: Section = (f) => {
  f.need('np');
  const name = f.fresh(`${f.rand.pick(['standardize', 'normalize', 'whiten'])}_${f.rand.pick(DATA)}`);
  f.helpers.push(name);
  return [
    `def ${name}(x, axis=0, eps=${f.rand.pick(['1e-8', '1e-6', '1e-5'])}):`,
    '    x = np.asarray(x, dtype=np.float32)',
    '    mean = x.mean(axis=axis, keepdims=True)',
    '    std = x.std(axis=axis, keepdims=True)',
    '    return (x - mean) / (std + eps), mean, std',
  ];
};

const findFiles: Section = (f) => {
  f.need('Path');
  const name = f.fresh(`list_${f.rand.pick(['images', 'shards', 'files', 'recordings', 'documents'])}`);
  f.helpers.push(name);
  const ext = f.rand.pick(['.png', '.jpg', '.wav', '.txt', '.csv', '.json', '.npz']);
  return [
    `def ${name}(root, suffix="${ext}", limit=None):`,
    '    files = sorted(p for p in Path(root).rglob(f"*{suffix}") if p.is_file())',
    '    if limit is not None:',
    '        files = files[:limit]',
    '    if not files:',
    '        raise FileNotFoundError(f"no {suffix} files under {root}")',
    '    return files',
  ];
};

const bucketByLength: Section = (f) => {
  f.need('defaultdict');
  const name = f.fresh(`bucket_by_${f.rand.pick(['length', 'size', 'duration'])}`);
  return [
    `def ${name}(items, width=${f.rand.pick([8, 16, 32, 50, 100])}):`,
    '    buckets = defaultdict(list)',
    '    for item in items:',
    '        buckets[len(item) // width].append(item)',
    '    return [buckets[k] for k in sorted(buckets)]',
  ];
};

const writeCsv: Section = (f) => {
  f.need('csv', 'os');
  const name = f.fresh(f.rand.pick(['write_metrics', 'append_results', 'save_history', 'log_row']));
  return [
    `def ${name}(path, row):`,
    '    """Append one row of metrics to a CSV file, writing the header first."""',
    '    exists = os.path.exists(path)',
    '    with open(path, "a", newline="", encoding="utf-8") as handle:',
    '        writer = csv.DictWriter(handle, fieldnames=sorted(row))',
    '        if not exists:',
    '            writer.writeheader()',
    '        writer.writerow(row)',
  ];
};

const constants: Section = (f) => {
  const { rand } = f;
  const lines = rand.sample(
    [
      `NUM_CLASSES = ${rand.pick([2, 10, 100, 1000, 21])}`,
      `IMAGE_SIZE = ${rand.pick([28, 32, 64, 128, 224, 256])}`,
      `MAX_LEN = ${rand.pick([64, 128, 256, 512])}`,
      `DATA_DIR = "${rand.pick(['data', '/datasets', '../data', 'inputs'])}/${f.project.name}"`,
      `CHECKPOINT_EVERY = ${rand.pick([1, 5, 10, 1000])}`,
      `LOG_INTERVAL = ${rand.pick([10, 50, 100, 200])}`,
      `MEAN = (${rand.float(0.4, 0.5)}, ${rand.float(0.4, 0.5)}, ${rand.float(0.4, 0.5)})`,
      `STD = (${rand.float(0.2, 0.3)}, ${rand.float(0.2, 0.3)}, ${rand.float(0.2, 0.3)})`,
      `VOCAB_SIZE = ${rand.pick([8000, 16000, 30522, 50257])}`,
      `LABELS = [${rand.sample(['"cat"', '"dog"', '"car"', '"ship"', '"plane"', '"frog"', '"bird"', '"horse"'], rand.int(2, 5)).join(', ')}]`,
    ],
    rand.int(2, 5),
  );
  return lines.filter((line) => !f.body.some((b) => b.startsWith(line.split(' = ')[0] + ' ')));
};

/** Every helper with a weight: how often it appears relative to the others. */
export const COMMON_SECTIONS: [Section, number][] = [
  [smoothing, 2], [loadConfig, 2], [lrSchedule, 2], [formatCount, 1], [splitItems, 2], [timer, 1], [earlyStopping, 2],
  [confusion, 1], [setupLogging, 2], [averageMeter, 2], [configClass, 2], [padSequences, 1], [topK, 1], [augment, 2],
  [standardize, 2], [findFiles, 1], [bucketByLength, 1], [writeCsv, 1], [constants, 1],
];

export function pickSection(f: PythonFile, sections: readonly [Section, number][]): Section {
  const weights = Object.fromEntries(sections.map(([, w], i) => [String(i), w])) as Record<string, number>;
  return sections[Number(f.rand.weighted(weights))][0];
}
