/** The `parse_args()` / `main()` / `__main__` tail of a script, per framework, seeded in one of several ways. */
import type { ModelRef, PythonFile } from './python-file';
import { NOUNS } from './vocab';

/**
 * How a script seeds its generators: every mode that the reproducibility rules tell apart, in the
 * proportions a real repository might have them.
 */
export type Seeding = 'none' | 'direct' | 'local-helper' | 'project-helper' | 'partial' | 'unused';
export type ScriptRole = 'train' | 'eval';

/** Seeding statements for the file's framework, indented for a function body. */
export function seedLines(f: PythonFile, seed: string, indent = '    '): string[] {
  switch (f.framework) {
    case 'torch':
      f.need('random', 'np', 'torch');
      return [`random.seed(${seed})`, `np.random.seed(${seed})`, `torch.manual_seed(${seed})`, ...(f.rand.chance(0.6) ? [`torch.cuda.manual_seed_all(${seed})`] : [])].map((l) => indent + l);
    case 'keras':
      if (f.rand.chance(0.5)) {
        f.need('keras');
        return [`${indent}keras.utils.set_random_seed(${seed})`];
      }
      f.need('random', 'np', 'tf');
      return [`${indent}random.seed(${seed})`, `${indent}np.random.seed(${seed})`, `${indent}tf.random.set_seed(${seed})`];
    case 'numpy':
      f.need('random', 'np');
      return [`${indent}random.seed(${seed})`, `${indent}np.random.seed(${seed})`];
    case 'lightning':
      f.need('L');
      return [`${indent}L.seed_everything(${seed}, workers=True)`];
  }
}

/** A seeding helper function, as a project's utils.py or a script defines it. */
export function seedHelper(f: PythonFile, name: string): string[] {
  return [`def ${name}(seed=${f.rand.pick([0, 42, 1234, 2024])}):`, '    """Seed every random number generator the experiments use."""', ...seedLines(f, 'seed'), ...(f.framework === 'torch' && f.rand.chance(0.5) ? ['    torch.backends.cudnn.deterministic = True'] : [])];
}

function parseArgs(f: PythonFile, role: ScriptRole, seedArg: boolean): string[] {
  const { rand } = f;
  f.need('argparse');
  const name = f.fresh(rand.pick(['parse_args', 'get_args', 'build_parser']));
  const returnsParser = name === 'build_parser';
  const options = [
    `    parser.add_argument("--lr", type=float, default=${rand.pick(['1e-3', '3e-4', '0.01', '0.1', '5e-5'])})`,
    `    parser.add_argument("--epochs", type=int, default=${rand.pick([1, 3, 10, 20, 50, 100, 300])})`,
    `    parser.add_argument("--batch-size", type=int, default=${rand.pick([8, 16, 32, 64, 128, 256])})`,
    `    parser.add_argument("--num-workers", type=int, default=${rand.pick([0, 0, 2, 4, 8])})`,
    `    parser.add_argument("--output-dir", default="${rand.pick(['runs', 'outputs', 'checkpoints'])}/${rand.pick(NOUNS)}")`,
    ...(role === 'eval' ? [`    parser.add_argument("--checkpoint", required=True, help="path to the ${rand.pick(['.pt', 'state dict', 'weights'])} file")`] : []),
    ...(rand.chance(0.4) ? ['    parser.add_argument("--device", default="cuda")'] : []),
    ...(rand.chance(0.3) ? ['    parser.add_argument("--dry-run", action="store_true", help="one batch, then stop")'] : []),
    ...(seedArg ? [`    parser.add_argument("--seed", type=int, default=${rand.pick([0, 1, 42, 1337, 2024])})`] : []),
  ];
  return [
    `def ${name}(${returnsParser ? '' : 'argv=None'}):`,
    `    parser = argparse.ArgumentParser(description="${rand.pick(['Train', 'Evaluate', 'Fine-tune', 'Run'])} a ${f.project.name} model.")`,
    ...options,
    returnsParser ? '    return parser' : '    return parser.parse_args(argv)',
    '',
    '',
  ].concat(returnsParser ? ['def parse_args():', '    return build_parser().parse_args()', '', ''] : []);
}

function seedingStatements(f: PythonFile, seeding: Seeding, helper: string | undefined): string[] {
  switch (seeding) {
    case 'direct':
      return seedLines(f, 'args.seed');
    case 'local-helper':
    case 'project-helper':
      return helper ? [`    ${helper}(args.seed)`] : seedLines(f, 'args.seed');
    case 'partial':
      if (f.framework === 'torch' || f.framework === 'lightning') return [`    ${f.need('torch')}.manual_seed(args.seed)`];
      if (f.framework === 'keras') return [`    ${f.need('tf')}.random.set_seed(args.seed)`];
      return [`    ${f.need('random')}.seed(args.seed)`];
    default:
      return [];
  }
}

function torchMain(f: PythonFile, role: ScriptRole, model: ModelRef | undefined, seed: string[]): string[] {
  const { rand } = f;
  f.need('torch', 'nn', 'data', 'os');
  const build = model?.call ?? `nn.Sequential(nn.Flatten(), nn.Linear(${rand.pick([64, 784])}, ${rand.pick([128, 256])}), nn.ReLU(), nn.Linear(${rand.pick([128, 256])}, 10))`;
  const dataset = f.datasets.length && rand.chance(0.8) ? `${rand.pick(f.datasets)}()` : `torch.utils.data.TensorDataset(torch.randn(${rand.pick([512, 2048])}, ${rand.pick([64, 784])}), torch.randint(0, 10, (${rand.pick([512, 2048])},)))`;
  const device = ['    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")'];
  if (role === 'eval') {
    return [
      ...device,
      `    model = ${build}`,
      '    model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))',
      '    model.to(device).eval()',
      `    loader = DataLoader(${dataset}, batch_size=args.batch_size, num_workers=args.num_workers)`,
      '    correct = total = 0',
      '    with torch.no_grad():',
      '        for inputs, targets in loader:',
      '            predictions = model(inputs.to(device)).argmax(dim=1).cpu()',
      '            correct += (predictions == targets).sum().item()',
      '            total += len(targets)',
      `    print(f"${rand.pick(['accuracy', 'top-1', 'test accuracy'])}: {correct / max(1, total):.4f}")`,
    ];
  }
  const train = f.trainFunctions.length ? rand.pick(f.trainFunctions) : undefined;
  const evaluate = f.evalFunctions.length ? rand.pick(f.evalFunctions) : undefined;
  const optimizer = rand.pick([
    'torch.optim.Adam(model.parameters(), lr=args.lr)',
    `torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=${rand.pick(['0.01', '0.05', '1e-4'])})`,
    `torch.optim.SGD(model.parameters(), lr=args.lr, momentum=${rand.pick(['0.9', '0.95'])}, nesterov=True)`,
  ]);
  const workerSeeding = rand.chance(0.25);
  if (workerSeeding) f.need('np');
  const lines = [
    ...seed,
    ...device,
    ...(rand.chance(0.3) ? ['    torch.backends.cudnn.benchmark = True'] : []),
    '    os.makedirs(args.output_dir, exist_ok=True)',
    `    dataset = ${dataset}`,
    `    n_val = int(len(dataset) * ${rand.pick(['0.1', '0.2', '0.05'])})`,
    '    train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val])',
    ...(workerSeeding ? ['    generator = torch.Generator().manual_seed(0)'] : []),
    `    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, num_workers=args.num_workers${workerSeeding ? ', generator=generator' : ''}${rand.chance(0.5) ? ', pin_memory=True' : ''})`,
    '    val_loader = DataLoader(val_set, batch_size=args.batch_size * 2, num_workers=args.num_workers)',
    `    model = ${build}.to(device)`,
    `    optimizer = ${optimizer}`,
    `    scheduler = torch.optim.lr_scheduler.${rand.pick(['CosineAnnealingLR(optimizer, T_max=args.epochs)', 'StepLR(optimizer, step_size=10, gamma=0.1)', `OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.epochs * len(train_loader))`])}`,
    `    criterion = nn.CrossEntropyLoss(${rand.chance(0.3) ? `label_smoothing=${rand.pick(['0.1', '0.05'])}` : ''})`,
    '    best = float("inf")',
    '    for epoch in range(args.epochs):',
    ...(train
      ? [`        train_loss = ${train}(model, train_loader, optimizer, criterion, device)`]
      : [
          '        model.train()',
          '        for inputs, targets in train_loader:',
          '            inputs, targets = inputs.to(device), targets.to(device)',
          '            optimizer.zero_grad()',
          '            loss = criterion(model(inputs), targets)',
          '            loss.backward()',
          '            optimizer.step()',
          '        train_loss = loss.item()',
        ]),
    evaluate ? `        val_loss = ${evaluate}(model, val_loader, criterion, device)` : '        val_loss = train_loss',
    '        scheduler.step()',
    '        print(f"epoch {epoch + 1}/{args.epochs}: train {train_loss:.4f} val {val_loss:.4f}")',
    '        if val_loss < best:',
    '            best = val_loss',
    `            torch.save(model.state_dict(), os.path.join(args.output_dir, "${rand.pick(['best', 'model', 'checkpoint'])}.pt"))`,
  ];
  return lines;
}

function kerasMain(f: PythonFile, role: ScriptRole, model: ModelRef | undefined, seed: string[]): string[] {
  const { rand } = f;
  f.need('keras', 'os');
  const build = model?.call ?? 'keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)])';
  const source = rand.pick(['mnist', 'fashion_mnist', 'cifar10']);
  const load = [
    `    (x_train, y_train), (x_test, y_test) = keras.datasets.${source}.load_data()`,
    '    x_train = x_train.astype("float32") / 255.0',
    '    x_test = x_test.astype("float32") / 255.0',
  ];
  if (role === 'eval') {
    return [...load, '    model = keras.models.load_model(args.checkpoint)', '    loss, accuracy = model.evaluate(x_test, y_test, batch_size=args.batch_size, verbose=0)', '    print(f"loss {loss:.4f} accuracy {accuracy:.4f}")'];
  }
  const callbacks = f.helpers.find((h) => /callbacks/.test(h));
  return [
    ...seed,
    ...load,
    '    os.makedirs(args.output_dir, exist_ok=True)',
    `    model = ${build}`,
    `    model.compile(optimizer=keras.optimizers.${rand.pick(['Adam', 'AdamW', 'RMSprop'])}(learning_rate=args.lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
    ...(rand.chance(0.5) ? ['    model.summary()'] : []),
    `    history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=${rand.pick(['0.1', '0.2'])}${callbacks ? `, callbacks=${callbacks}(args.output_dir)` : ''})`,
    '    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)',
    '    print(f"test accuracy {accuracy:.4f} after {len(history.history[\'loss\'])} epochs")',
    `    model.save(os.path.join(args.output_dir, "${rand.pick(['model', 'final', 'classifier'])}.keras"))`,
  ];
}

function numpyMain(f: PythonFile, model: ModelRef | undefined, seed: string[]): string[] {
  const { rand } = f;
  f.need('np');
  const data = f.datasets.length ? `${rand.pick(f.datasets)}()` : `(np.random.randn(${rand.pick([500, 2000])}, ${rand.pick([4, 16])}), np.random.randint(0, 2, ${rand.pick([500, 2000])}))`;
  const fit = model?.call ?? 'np.linalg.lstsq(x_train, y_train, rcond=None)[0]';
  const sklearn = rand.chance(0.4);
  if (sklearn) f.need('sklearn');
  return [
    ...seed,
    `    x, y = ${data}`,
    ...(sklearn
      ? [`    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=${rand.pick(['0.2', '0.25'])})`]
      : ['    order = np.random.permutation(len(x))', '    cut = int(0.8 * len(x))', '    x_train, y_train = x[order[:cut]], y[order[:cut]]', '    x_test, y_test = x[order[cut:]], y[order[cut:]]']),
    `    result = ${fit}`,
    '    print(f"trained on {len(x_train)} rows, tested on {len(x_test)}: {type(result).__name__}")',
    '    print(f"lr={args.lr} epochs={args.epochs} batch={args.batch_size} -> {args.output_dir}")',
  ];
}

function lightningMain(f: PythonFile, model: ModelRef | undefined, seed: string[]): string[] {
  const { rand } = f;
  f.need('L', 'torch', 'data');
  const module = model?.name ?? undefined;
  const dataModule = f.datasets.find((d) => d.endsWith('DataModule'));
  return [
    ...seed,
    module ? `    model = ${module}(lr=args.lr)` : '    raise SystemExit("no model in this script")',
    ...(dataModule
      ? [`    data = ${dataModule}(batch_size=args.batch_size, num_workers=args.num_workers)`]
      : [
          `    full = torch.utils.data.TensorDataset(torch.randn(${rand.pick([1000, 4000])}, 784), torch.randint(0, 10, (${rand.pick([1000, 4000])},)))`,
          '    train_set, val_set = random_split(full, [0.9, 0.1])',
          '    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, num_workers=args.num_workers)',
          '    val_loader = DataLoader(val_set, batch_size=args.batch_size, num_workers=args.num_workers)',
        ]),
    `    trainer = L.Trainer(max_epochs=args.epochs, accelerator="auto", devices=1, default_root_dir=args.output_dir${rand.chance(0.3) ? ', deterministic=True' : ''}${rand.chance(0.4) ? `, precision="${rand.pick(['16-mixed', 'bf16-mixed'])}"` : ''})`,
    dataModule ? '    trainer.fit(model, datamodule=data)' : '    trainer.fit(model, train_loader, val_loader)',
  ];
}

/**
 * Appends parse_args, an optional local seeding helper, main() and the `__main__` guard. `model`
 * is a model defined in the file or imported from the project; `projectSeedHelper` the name
 * imported from utils.py when the script seeds through it.
 */
export function scriptTail(f: PythonFile, role: ScriptRole, seeding: Seeding, model: ModelRef | undefined): void {
  const { rand } = f;
  const seedArg = seeding !== 'none' || rand.chance(0.1);
  let helper: string | undefined;
  if (seeding === 'local-helper') {
    helper = f.fresh(rand.pick(['set_seed', 'seed_everything', 'fix_seeds', 'set_random_seed']));
    f.add(seedHelper(f, helper));
  } else if (seeding === 'project-helper' && f.project.seedHelper) {
    helper = f.needLocal('utils', f.project.seedHelper);
  }
  const seed = role === 'eval' ? [] : seedingStatements(f, seeding, helper);
  const head = parseArgs(f, role, seedArg);
  const argsCall = head[0].startsWith('def build_parser') ? 'parse_args()' : `${head[0].slice(4, head[0].indexOf('('))}()`;
  const body =
    f.framework === 'torch'
      ? torchMain(f, role, model, seed)
      : f.framework === 'keras'
        ? kerasMain(f, role, model, seed)
        : f.framework === 'numpy'
          ? numpyMain(f, model, seed)
          : lightningMain(f, model, seed);
  f.body.push(...head, 'def main():', `    args = ${argsCall}`, ...body, '', '');
  f.body.push('if __name__ == "__main__":', rand.chance(0.2) ? `    ${f.need('sys')}.exit(main())` : '    main()');
}
